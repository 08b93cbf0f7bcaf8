import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { LumenError } from '../../../shared/errors';
import type { Handlers, RequestContext } from '../../../shared/contract/dispatcher';
import type { Method, Params, Result } from '../../../shared/contract/requests';
import { withOpenProject } from '../project/open-project';
import { checkImportPaths, importedRoots } from './import-paths';
import type { AllowedRoots } from './allowed-roots';

/**
 * What the browser door checks around one request: `before` may refuse it or hand the handler the
 * checked (real) paths; `after` records what the user chose (a project opened, a folder imported).
 */
interface Rule<M extends Method> {
  before?: (params: Params<M>) => Params<M> | Promise<Params<M>>;
  after?: (params: Params<M>, result: Result<M>) => void | Promise<void>;
}

/** One rule per method of the contract: a method added without deciding its paths does not compile. */
type Rules = { [M in Method]: Rule<M> };

const none = {};

function absolute(path: string, what: string): void {
  if (!isAbsolute(path)) throw new LumenError('invalid-argument', `${what} "${path}" is not a full path.`, 'Give the full path of the folder (e.g. /home/me/study).', { path });
}

/** A folder Lumen may put a new project (or a cache) in: one that does not exist yet, or an empty one. */
function newOrEmpty(path: string): boolean {
  if (!existsSync(path)) return true;
  return statSync(path).isDirectory() && readdirSync(path).length === 0;
}

/**
 * The browser door's rule for paths: a page (anyone holding the bridge's token) names only files
 * the user chose there or Lumen's own folders. Choosing happens by opening or creating a project
 * (its folder becomes writable, its datasets' folders readable) and by importing a folder as a
 * dataset; files picked in the page arrive as bytes, not paths. Every other path is refused with a
 * line that says how to make it available. The CLI is trusted and does not go through here.
 */
export function browserDoor(handlers: Handlers, roots: AllowedRoots): Handlers {
  const project = (path: string): string => {
    if (roots.find(path, 'write') !== null) return path;
    throw new LumenError('invalid-argument', `The project ${path} has not been opened in this page.`, 'Open it first (Start → Open project), then try again.', { path, refused: 'project-not-open' });
  };
  const allowProject = async (path: string): Promise<void> => {
    roots.allow(path, 'write');
    // A damaged or busy project still opened: its datasets are then reachable through it only.
    const datasets = await withOpenProject(path, (store) => store.db.prepare('SELECT root FROM datasets').all() as Array<{ root: string }>).catch(() => []);
    for (const d of datasets) roots.allow(d.root, 'read');
  };

  const rules: Rules = {
    'app.info': none,
    'models.open': {
      before: (p) => ({
        ...p,
        ...(p.path !== undefined ? { path: roots.readable(p.path, 'The model') } : {}),
        ...(p.cardPath !== undefined ? { cardPath: roots.readable(p.cardPath, 'The model card') } : {}),
      }),
    },
    'models.list': none,
    'models.details': none,
    'samples.list': none,
    'images.open': {
      before: (p) => {
        if (p.source === 'file') return { ...p, path: roots.readable(p.path, 'The image') };
        if (p.source === 'project') project(p.project);
        return p;
      },
    },
    'images.values': none,
    classify: none,
    'methods.list': none,
    attribute: none,
    'models.layers': none,
    'metrics.list': none,
    evaluate: none,
    roar: { before: (p) => ({ ...p, dataset: roots.readable(p.dataset, 'The dataset folder') }) },
    'evaluation.dataset': {
      before: (p) => {
        if (p.project !== undefined) project(p.project);
        // A project's own dataset is read where the project says; only a folder is checked here.
        return p.folder === undefined ? p : { ...p, folder: roots.readable(p.folder, 'The dataset folder') };
      },
    },
    audit: { before: (p) => (project(p.project), p) },
    'audit.results': { before: (p) => (project(p.project), p) },
    'audit.summary': { before: (p) => (project(p.project), p) },
    'jobs.list': { before: (p) => (project(p.project), p) },
    'jobs.pause': { before: (p) => (project(p.project), p) },
    'jobs.cancel': { before: (p) => (project(p.project), p) },
    'models.import': none,
    'models.updateCard': none,
    'projects.recent': none,
    'projects.open': {
      before: (p) => {
        absolute(p.path, 'The project folder');
        if (p.create && !existsSync(join(p.path, 'project.db')) && !newOrEmpty(p.path)) {
          throw new LumenError('invalid-argument', `${p.path} already holds files and is not a Lumen project.`, 'Create the project in a new or empty folder, or open a folder that holds project.db.', { path: p.path });
        }
        return p;
      },
      after: (_p, summary) => allowProject(summary.path),
    },
    'projects.demo': { after: (_p, summary) => allowProject(summary.path) },
    // Every format's paths (import-paths.ts); a preview grants nothing, an import its images' folder.
    'datasets.import': {
      before: (p) => {
        project(p.project);
        checkImportPaths(p);
        return p;
      },
      after: (p) => {
        if (!p.preview) for (const root of importedRoots(p)) roots.allow(root, 'read');
      },
    },
    'projects.merge': { before: (p) => (project(p.project), p) },
    'datasets.images': { before: (p) => (project(p.project), p) },
    'datasets.studies': { before: (p) => (project(p.project), p) },
    'datasets.thumbnails': { before: (p) => (project(p.project), p) },
    'annotations.list': { before: (p) => (project(p.project), p) },
    'annotations.save': { before: (p) => (project(p.project), p) },
    'annotations.delete': { before: (p) => (project(p.project), p) },
    'explanations.list': { before: (p) => (project(p.project), p) },
    'explanations.save': { before: (p) => (project(p.project), p) },
    'explanations.delete': { before: (p) => (project(p.project), p) },
    'report.plan': { before: (p) => (project(p.project), p) },
    'report.render': { before: (p) => (project(p.spec.project), p) },
    'report.export': {
      before: (p) => {
        project(p.spec.project);
        return { ...p, out: roots.writable(p.out, 'The report file') };
      },
    },
    'dicom.export': { before: (p) => (p.outDir === undefined ? p : { ...p, outDir: roots.writable(p.outDir, 'The DICOM export folder') }) },
    'settings.get': none,
    'settings.set': {
      before: (p) => {
        // The engine refuses a relative folder for every door; here it must also be Lumen's to write.
        if (p.cacheDir && isAbsolute(p.cacheDir) && roots.find(p.cacheDir, 'write') === null && !newOrEmpty(p.cacheDir)) {
          throw new LumenError('invalid-argument', `The cache folder ${p.cacheDir} already holds files Lumen did not put there.`, 'Choose a new or empty folder for the cache, or leave the field empty for the default.', { path: p.cacheDir });
        }
        return p;
      },
    },
  };

  const guarded = {} as Record<Method, (params: unknown, context: RequestContext) => Promise<unknown>>;
  for (const method of Object.keys(handlers) as Method[]) {
    const rule = rules[method] as Rule<Method>;
    const handler = handlers[method] as (params: unknown, context: RequestContext) => Promise<unknown>;
    guarded[method] = async (params, context) => {
      const checked = rule.before ? await rule.before(params as Params<Method>) : params;
      const result = await handler(checked, context);
      if (rule.after) await rule.after(checked as Params<Method>, result as Result<Method>);
      return result;
    };
  }
  return guarded as unknown as Handlers;
}
