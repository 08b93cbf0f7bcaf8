import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createApi } from '../../../../src/shared/contract/api';
import { PortTransport } from '../../../../src/shared/contract/port-transport';
import { localEnginePort } from '../../../../src/main/engine-host/local-engine';
import { failure } from '../../../helpers/failure';

const modelPath = fileURLToPath(new URL('../../../fixtures/models/vgg_bn/model.onnx', import.meta.url));

describe('checking a given target class', () => {
  const { port, engine, close } = localEnginePort({ graphCacheDir: null });
  const api = createApi(new PortTransport(port));
  afterAll(close);
  const input = { kind: 'tensor' as const, dims: [1, 3, 32, 32], data: new Float32Array(3 * 32 * 32).map((_, i) => Math.cos(i * 0.21)) };

  it('runs the model forward once to learn its class count, then no more for requests that name their class', async () => {
    const { id } = await api.call('models.open', { path: modelPath });
    const session = engine.models.get(id).session;
    const run = session.run.bind(session);
    let forwardPasses = 0;
    session.run = ((...args: Parameters<typeof run>) => {
      forwardPasses++;
      return run(...args);
    }) as typeof session.run;

    const first = await api.call('attribute', { modelId: id, input, method: 'gradient', target: 3 });
    expect(forwardPasses).toBe(1);
    const again = await api.call('attribute', { modelId: id, input, method: 'gradient', target: 3 });
    expect(forwardPasses).toBe(1);
    expect(Array.from(again.data)).toEqual(Array.from(first.data));

    // Out of range is still refused, from the count already known.
    const error = await failure(api.call('attribute', { modelId: id, input, method: 'gradient', target: 10 }));
    expect(error.message).toBe('Target class 10 is out of range: the model has 10 classes (0 to 9).');
    expect(forwardPasses).toBe(1);

    // Without a target the top class is needed: a forward pass.
    await api.call('attribute', { modelId: id, input, method: 'gradient' });
    expect(forwardPasses).toBe(2);
  });
});
