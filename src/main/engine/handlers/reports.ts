import type { Handlers } from '../../../shared/contract/dispatcher';
import { exportDicom } from '../dicom-export/export-dicom';
import { buildReport, exportReport } from '../report/report';
import { planRunReport } from '../report/run-spec';
import { ReportCache } from '../report/report-cache';
import type { EngineServices } from './engine-services';

type ReportHandlers = Pick<Handlers, 'report.plan' | 'report.render' | 'report.export' | 'dicom.export'>;

/** What leaves Lumen: reports (HTML, PDF) and DICOM objects made from an explanation. */
export function reportHandlers(engine: EngineServices): ReportHandlers {
  // Explanations, metrics and figures of earlier reports, reused while the engine runs: a report is
  // rebuilt from what changed only (report-cache.ts).
  const cache = new ReportCache();
  const services = (): ReturnType<EngineServices['reportServices']> => ({ ...engine.reportServices(), cache });
  return {
    'report.plan': async ({ project, runId, images }) => planRunReport(project, runId, images),

    'report.render': async ({ spec, format }, { requestId, signal }) =>
      buildReport(services(), { spec, format, model: engine.models.get(spec.modelId), signal, onProgress: engine.progress(requestId) }),

    'report.export': async ({ spec, format, out, overwrite }, { requestId, signal }) =>
      exportReport(services(), { spec, format, out, overwrite, model: engine.models.get(spec.modelId), signal, onProgress: engine.progress(requestId) }),

    'dicom.export': async (params, { requestId, signal }) => {
      const loaded = engine.models.get(params.modelId);
      const source = engine.images.get(params.imageId);
      const { input } = await engine.modelInput(loaded, { kind: 'image', imageId: params.imageId });
      return exportDicom({ model: loaded, image: { id: params.imageId, source }, input, params, signal, onProgress: engine.progress(requestId) }, { attributions: engine.attributions, uids: engine.dicomUids });
    },
  };
}
