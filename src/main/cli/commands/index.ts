import type { Command } from '../command';
import { attributeCommand } from './attribute';
import { classifyCommand } from './classify';
import { evaluateCommand } from './evaluate';
import { metricsCommand } from './metrics';
import { roarCommand } from './roar';
import { importCommand } from './import';
import { auditCommand } from './audit';
import { mergeCommand } from './merge';
import { jobsCommand } from './jobs';
import { resultsCommand } from './results';
import { infoCommand } from './info';
import { layersCommand } from './layers';
import { methodsCommand } from './methods';
import { serveCommand } from './serve';
import { reportCommand } from './report';
import { exportDicomCommand } from './export-dicom';

export const commands: Command[] = [classifyCommand, attributeCommand, evaluateCommand, roarCommand, importCommand, auditCommand, mergeCommand, jobsCommand, resultsCommand, reportCommand, exportDicomCommand, methodsCommand, metricsCommand, layersCommand, infoCommand, serveCommand] as Command[];
