import type { ProjectSummary } from '../../../../shared/contract/project';
import { appText } from '../text/app';

/**
 * Why the project cannot be changed, or null when it can. The engine opens a project on a
 * read-only drive or folder read-only; the screens show this reason where the project is shown
 * and as the title of every action that would write (import, audit, annotate), which they disable.
 */
export function readOnlyReason(project: ProjectSummary | null): string | null {
  return project?.readOnly ? appText.project.readOnly : null;
}
