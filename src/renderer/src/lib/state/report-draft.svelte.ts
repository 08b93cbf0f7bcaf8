import { untrack } from 'svelte';
import type { RenderedReport } from '../../../../shared/contract/report';
import { UndoHistory } from '../history/undo-history';
import { loadDraft, sameDraft, saveDraft, type DraftStorage, type ReportDraftState } from './report-draft-record';
import type { ReportForm } from './report-spec';
import type { ReportImage } from './workspace.svelte';

export function defaultReportForm(title: string): ReportForm {
  return {
    title,
    summary: '',
    freeText: '',
    methods: [],
    metrics: ['deletion', 'insertion'],
    runs: [],
    includeAnnotations: true,
    includePaths: false,
    includeMetadata: false,
    anonymise: false,
    includeIdentifiers: false,
    xraiAreaPercent: 10,
  };
}

/** The window's localStorage; null where there is none or reading it is refused (storage disabled by policy). */
function browserStorage(): DraftStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

const copy = (state: ReportDraftState): ReportDraftState => JSON.parse(JSON.stringify(state)) as ReportDraftState;

/**
 * The report being written: its form, its images, the last preview. It lives in the Workspace, not
 * in the Report screen, so leaving the screen and coming back keeps it; it is also stored per
 * project (report-draft-record.ts), so a reload keeps it.
 *
 * Undo/redo: `commit(label)` records what changed since the last commit as one reversible edit
 * (checkboxes commit at once, a text field when it loses focus or after a pause), so an undo step
 * is what the user sees as one change.
 */
export class ReportDraft {
  form: ReportForm = $state(defaultReportForm(''));
  images: ReportImage[] = $state([]);
  /** False until the user ticks methods: until then the defaults are shown ticked. */
  methodsChosen = $state(false);
  preview: RenderedReport | null = $state(null);
  /** The spec (as JSON) the preview was built from: coming back to an unchanged draft rebuilds nothing. */
  previewOf: string | null = null;
  live = $state(true);
  exported: string | null = $state(null);
  readonly history = new UndoHistory();
  /** Bumped after every history change, so `canUndo`/`canRedo` are reactive. */
  private revision = $state(0);
  /** The state as of the last commit: what the next recorded edit reverts to. */
  private committed: ReportDraftState;
  /** The project whose draft this is (its storage key). */
  private project: string | null = null;

  constructor(
    private readonly defaultTitle: string,
    private readonly storage: DraftStorage | null = browserStorage(),
  ) {
    this.form = defaultReportForm(defaultTitle);
    this.committed = this.state();
  }

  /** The draft's state, detached from the reactive proxies. */
  state(): ReportDraftState {
    return copy({ form: $state.snapshot(this.form) as ReportForm, images: $state.snapshot(this.images) as ReportImage[], methodsChosen: this.methodsChosen });
  }

  /** Switches to a project's draft: its stored one, else a fresh one. The undo history starts empty. */
  open(project: string | null): void {
    if (project === this.project) return;
    this.project = project;
    const stored = project ? loadDraft(this.storage, project) : null;
    this.apply(stored ?? { form: defaultReportForm(this.defaultTitle), images: [], methodsChosen: false });
    this.preview = null;
    this.previewOf = null;
    this.exported = null;
    this.committed = this.state();
    this.history.clear();
    this.revision++;
  }

  /**
   * Keeps the draft with the open project: switches drafts when the project changes and stores
   * every change. Returns the function that stops following.
   */
  follow(project: () => string | null): () => void {
    return $effect.root(() => {
      $effect(() => {
        const path = project();
        untrack(() => this.open(path));
      });
      $effect(() => {
        void this.state();
        untrack(() => this.persist());
      });
    });
  }

  /** Stores the draft under its project (a no-op without one). */
  persist(): void {
    if (this.project) saveDraft(this.storage, this.project, this.state());
  }

  /** Records the change since the last commit, if any, as one undoable edit named `label`. */
  commit(label: string): void {
    const before = this.committed;
    const after = this.state();
    if (sameDraft(before, after)) return;
    this.committed = after;
    this.history.record({ label, apply: () => this.restore(after), revert: () => this.restore(before) });
    this.revision++;
  }

  get canUndo(): boolean {
    void this.revision;
    return this.history.canUndo;
  }

  get canRedo(): boolean {
    void this.revision;
    return this.history.canRedo;
  }

  get undoLabel(): string | null {
    void this.revision;
    return this.history.undoLabel;
  }

  get redoLabel(): string | null {
    void this.revision;
    return this.history.redoLabel;
  }

  async undo(): Promise<boolean> {
    // A half-typed field is committed first, so undo reverts it rather than the edit before.
    this.commit('Edit');
    const done = await this.history.undo();
    this.revision++;
    return done;
  }

  async redo(): Promise<boolean> {
    const done = await this.history.redo();
    this.revision++;
    return done;
  }

  private restore(state: ReportDraftState): void {
    this.apply(copy(state));
    this.committed = copy(state);
    this.persist();
  }

  private apply(state: ReportDraftState): void {
    this.form = state.form;
    this.images = state.images;
    this.methodsChosen = state.methodsChosen;
  }
}
