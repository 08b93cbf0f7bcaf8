import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { LumenError } from '../../../shared/errors';
import type { ExecutionProviderReport, ExecutionProviderRequest } from '../../../shared/contract/execution-provider';
import type { ModelCardFile, ResolvedCard } from '../../../shared/model-card';
import { encodeModel } from '../onnx/encode';
import type { Model } from '../onnx/ir';
import { readOnnxModel } from '../onnx/read-model';
import { isFile, pathExists } from '../fs-utils';
import { defaultModelPath } from '../resources';
import type { Session } from '../runtime/onnxruntime';
import type { SessionPool } from '../runtime/session-pool';
import { fileStem, mergeCardFiles, readLabels } from './card-file';
import { resolveCard } from './resolve-card';
import { readModelCard } from './saved-card';

export interface LoadedModel {
  id: string;
  path: string;
  fileName: string;
  builtIn: boolean;
  sha256: string;
  sizeBytes: number;
  bytes: Uint8Array;
  model: Model;
  resolved: ResolvedCard;
  /** The card fields the card was resolved from (card files and inline fields, merged). */
  cardFile: ModelCardFile;
  /** The card file labelsFile is relative to (it need not exist). */
  cardPath: string;
  session: Session;
  executionProvider: ExecutionProviderReport;
  loadMs: number;
}

export interface OpenModelRequest {
  path?: string | undefined;
  cardPath?: string | undefined;
  card?: ModelCardFile | undefined;
  executionProvider: ExecutionProviderRequest;
}

/** Decodes an ONNX file's bytes (models.import checks an upload with it). */
export { decodeOnnx as decode } from '../onnx/read-model';

/** 2 GiB: protobuf's limit for a single-file model; larger models keep weights in external files. */
const maxModelBytes = 2 ** 31 - 1;

/**
 * Opens models: reads and hashes the file, decodes it, resolves its card, and gets a session from
 * the pool. Opening the same file with the same card and provider returns the same model.
 */
export class ModelRegistry {
  private readonly models = new Map<string, LoadedModel>();
  /** Which open model a (content, card, provider) key is: ids stay when a card is edited. */
  private readonly ids = new Map<string, string>();

  constructor(private readonly pool: SessionPool) {}

  async open(request: OpenModelRequest): Promise<LoadedModel> {
    const t0 = performance.now();
    const builtIn = request.path === undefined;
    const path = resolve(request.path ?? defaultModelPath());
    if (!(await isFile(path))) {
      if (await pathExists(path)) throw new LumenError('invalid-argument', `${path} is a folder, not an ONNX model file.`, 'Give the path of the .onnx file inside it.', { path });
      throw new LumenError('not-found', `Model file not found: ${path}.`, 'Check the path; Lumen opens .onnx files.', { path });
    }
    const { size } = await stat(path);
    if (size > maxModelBytes) {
      throw new LumenError('invalid-model', `${basename(path)} is ${(size / 2 ** 30).toFixed(1)} GiB, above the 2 GiB limit of a single ONNX file.`, 'Save the model with its weights as external data.');
    }
    // A view of the Buffer, not a copy: weights stay views of these bytes (350 MB for a ViT-B/16).
    const file = await readFile(path);
    const fileBytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
    const { model, externalTensors } = await readOnnxModel(fileBytes, basename(path), dirname(path));
    // The identity of a model is its file and, if it has any, its external weights.
    const hash = createHash('sha256').update(fileBytes);
    if (externalTensors > 0) for (const t of model.graph.initializers) if (t.raw) hash.update(t.raw);
    const sha256 = hash.digest('hex');
    // With external weights read in, the session gets one self-contained model.
    const bytes = externalTensors > 0 ? encodeModel(model) : fileBytes;

    const source = await readModelCard(path, sha256, request.cardPath);
    const cardFile = mergeCardFiles(source.cardFile, request.card ?? {});
    const resolved = await resolveFor(model, path, source.cardPath, cardFile);
    if (source.note) resolved.notes.push(source.note);

    const key = modelKey(sha256, resolved, request.executionProvider);
    const existing = this.models.get(this.ids.get(key) ?? '');
    if (existing) return existing;

    const { session, report } = await this.pool.acquire({ sha256, provider: request.executionProvider }, bytes);
    checkSessionAgainstCard(session, resolved);
    // The same model opened twice at once: the first to finish is the one.
    const raced = this.models.get(this.ids.get(key) ?? '');
    if (raced) return raced;
    const id = this.freeId(key);
    const loaded: LoadedModel = {
      id,
      path,
      fileName: basename(path),
      builtIn,
      sha256,
      sizeBytes: size,
      bytes,
      model,
      resolved,
      cardFile,
      cardPath: source.cardPath,
      session,
      executionProvider: report,
      loadMs: performance.now() - t0,
    };
    this.models.set(id, loaded);
    this.ids.set(key, id);
    return loaded;
  }

  /**
   * Re-resolves an open model's card with these fields over the ones it has (validated against the
   * model as an inline card of models.open is) and replaces the model under the same id: whoever
   * holds the id sees the new card. The session is the same; only the card changed.
   */
  async updateCard(id: string, fields: ModelCardFile): Promise<LoadedModel> {
    const loaded = this.get(id);
    const cardFile = mergeCardFiles(loaded.cardFile, fields);
    const resolved = await resolveFor(loaded.model, loaded.path, loaded.cardPath, cardFile);
    checkSessionAgainstCard(loaded.session, resolved);
    const updated: LoadedModel = { ...loaded, cardFile, resolved };
    for (const [key, owner] of this.ids) if (owner === id) this.ids.delete(key);
    this.ids.set(modelKey(loaded.sha256, resolved, loaded.executionProvider.requested), id);
    this.models.set(id, updated);
    return updated;
  }

  /** The id for a new model: its key's, unless an edited model kept that id. */
  private freeId(key: string): string {
    let id = key;
    for (let n = 1; this.models.has(id); n++) id = createHash('sha256').update(`${key}#${n}`).digest('hex').slice(0, 16);
    return id;
  }

  get(id: string): LoadedModel {
    const model = this.models.get(id);
    if (!model) throw new LumenError('not-found', `No open model has id "${id}".`, 'Open the model first (models.open).', { modelId: id });
    return model;
  }

  list(): LoadedModel[] {
    return [...this.models.values()];
  }
}

/** A model's identity in the registry: its content, its card and the provider asked for. */
function modelKey(sha256: string, resolved: ResolvedCard, provider: ExecutionProviderRequest): string {
  return createHash('sha256').update(`${sha256}\n${JSON.stringify(resolved.card)}\n${provider}`).digest('hex').slice(0, 16);
}

/** The card of a model from its card fields (labels from labelsFile or a labels.txt next to it). */
async function resolveFor(model: Model, path: string, cardPath: string, cardFile: ModelCardFile): Promise<ResolvedCard> {
  const labels = await readLabels(path, cardPath, cardFile);
  return resolveCard({ model, fileStem: fileStem(path), cardFile, cardPathHint: basename(cardPath), ...(labels ? { labels } : {}) });
}

/** onnxruntime's view of the graph must agree with the card (it is the authority on names). */
function checkSessionAgainstCard(session: Session, resolved: ResolvedCard): void {
  const { input, output } = resolved.card;
  if (!session.inputNames.includes(input.name)) {
    throw new LumenError('invalid-card', `onnxruntime does not see an input named "${input.name}" (it sees ${session.inputNames.join(', ')}).`);
  }
  if (!session.outputNames.includes(output.name)) {
    throw new LumenError('invalid-card', `onnxruntime does not see an output named "${output.name}" (it sees ${session.outputNames.join(', ')}).`);
  }
}
