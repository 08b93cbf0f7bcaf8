/**
 * An undo/redo history of reversible edits. An edit knows how to apply and revert itself (both may
 * talk to the engine, so they are async); the history only keeps the order. Redo is cleared by a new
 * edit, as in every editor. `label` names the edit for the Edit menu and for tooltips
 * ("Undo moving an arrow").
 */
export interface ReversibleEdit {
  readonly label: string;
  apply(): Promise<void> | void;
  revert(): Promise<void> | void;
}

export interface UndoHistoryOptions {
  /** How many edits are kept; the oldest are forgotten beyond it. */
  limit?: number;
}

export class UndoHistory {
  private readonly done: ReversibleEdit[] = [];
  private readonly undone: ReversibleEdit[] = [];
  private readonly limit: number;
  /** One edit at a time: a second Ctrl+Z while the first is still reverting waits for it. */
  private running: Promise<void> = Promise.resolve();

  constructor(options: UndoHistoryOptions = {}) {
    this.limit = options.limit ?? 200;
  }

  /** Records an edit that has already been applied (the usual case: the user just did it). */
  record(edit: ReversibleEdit): void {
    this.done.push(edit);
    if (this.done.length > this.limit) this.done.shift();
    this.undone.length = 0;
  }

  /** Applies an edit and records it. */
  async perform(edit: ReversibleEdit): Promise<void> {
    await this.serialise(async () => {
      await edit.apply();
      this.record(edit);
    });
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** The label of the edit Undo would revert, if any. */
  get undoLabel(): string | null {
    return this.done.at(-1)?.label ?? null;
  }

  get redoLabel(): string | null {
    return this.undone.at(-1)?.label ?? null;
  }

  /** Reverts the last edit; false when there was nothing to undo. A failed revert keeps the edit done. */
  async undo(): Promise<boolean> {
    return this.serialise(async () => {
      const edit = this.done.pop();
      if (!edit) return false;
      try {
        await edit.revert();
      } catch (error) {
        this.done.push(edit);
        throw error;
      }
      this.undone.push(edit);
      return true;
    });
  }

  /** Applies the last undone edit again; false when there was nothing to redo. */
  async redo(): Promise<boolean> {
    return this.serialise(async () => {
      const edit = this.undone.pop();
      if (!edit) return false;
      try {
        await edit.apply();
      } catch (error) {
        this.undone.push(edit);
        throw error;
      }
      this.done.push(edit);
      return true;
    });
  }

  /** Forgets every edit (e.g. another image or project was opened). */
  clear(): void {
    this.done.length = 0;
    this.undone.length = 0;
  }

  private serialise<T>(work: () => Promise<T>): Promise<T> {
    const next = this.running.then(work, work);
    this.running = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }
}
