import sharp from 'sharp';
import { createApi } from '../src/shared/contract/api';
import { PortTransport } from '../src/shared/contract/port-transport';
import { localEnginePort } from '../src/main/engine-host/local-engine';
const local = localEnginePort({ graphCacheDir: null });
const api = createApi(new PortTransport(local.port));
const model = await api.call('models.open', { executionProvider: 'cpu' });
const png = new Uint8Array(await sharp('resources/samples/cat_chelsea.png').resize(224, 224, { fit: 'cover' }).png().toBuffer());
const image = await api.call('images.open', { source: 'bytes', name: 'cat-224.png', data: png });
for (let i = 0; i < 3; i++) { const r = await api.call('attribute', { modelId: model.id, input: { kind: 'image', imageId: image.id }, method: 'lime', params: { samples: 1000 } }); console.log('total', r.timings.computeMs, r.figures.segments); }
await local.close();
