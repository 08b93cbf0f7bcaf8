import { metricLabel } from '../../../../shared/metrics/metric-meaning';

/** Every user-visible string of the dataset browser. */
export const datasetText = {
  sectionLabel: (dataset: string) => `Dataset ${dataset}`,
  browserLabel: (dataset: string) => `Images of ${dataset}`,
  toolbarLabel: 'Search, filter and sort the images',
  search: 'Search',
  searchPlaceholder: 'Path, label, study or series',
  labelFilter: 'Label',
  allLabels: 'All labels',
  sort: 'Sort by',
  sortKey: (key: string) =>
    (({ path: 'Path', label: 'Label', series: 'Study, series, instance', predicted: 'Predicted', confidence: 'Confidence' }) as Record<string, string>)[key] ?? metricLabel(key),
  /** The order the images are in now, for the sort key: "A → Z", "Highest first", "First to last". */
  sortOrder: (key: string, descending: boolean) =>
    ['path', 'label', 'predicted'].includes(key) ? (descending ? 'Z → A' : 'A → Z') : key === 'series' ? (descending ? 'Last to first' : 'First to last') : descending ? 'Highest first' : 'Lowest first',
  /** The order button's name: the order now, and what a click does. */
  sortOrderLabel: (now: string, next: string) => `Order: ${now} (click for ${next})`,
  studyFilter: 'Study',
  allStudies: 'All studies',
  seriesFilter: 'Series',
  allSeries: 'All series',
  studiesFailed: (error: string) => `Studies and series could not be listed: ${error}`,
  view: 'View',
  gridView: 'Grid',
  tableView: 'Table',
  selectedCount: (n: number) => (n === 1 ? '1 selected' : `${n.toLocaleString()} selected`),
  selectAllMatching: 'Select all matching',
  selectAllMatchingCount: (n: number) => `Select all ${n.toLocaleString()} matching`,
  clearSelection: 'Clear selection',
  selecting: (done: number, total: number) => `Selecting… ${done.toLocaleString()} of ${total.toLocaleString()}`,
  cancelSelecting: 'Stop selecting',
  count: (n: number, all: number) =>
    n === all ? `${n.toLocaleString()} image${n === 1 ? '' : 's'}` : `${n.toLocaleString()} of ${all.toLocaleString()} images`,
  loading: 'Loading images…',
  loadingRow: 'Loading…',
  empty: 'No images match.',
  emptyDataset: 'This dataset has no images.',
  keyboardHelp:
    'Arrow keys move, Space selects, Shift with arrows or a click selects a range, Ctrl or Cmd with a click toggles, Ctrl+A selects all matching, Escape clears, Enter or a double click opens the image.',
  columns: {
    thumbnail: 'Thumbnail',
    path: 'Path',
    label: 'Label',
    predicted: 'Predicted',
    confidence: 'Confidence',
    flags: 'Flags',
    study: 'Study',
    series: 'Series',
    instance: 'Instance',
  },
  noLabel: 'unlabelled',
  noPrediction: '–',
  wrong: 'wrong',
  right: 'right',
  predictedAs: (label: string, confidence: string) => `${label} ${confidence}`,
  flagCount: (n: number) => (n === 1 ? '1 flag' : `${n} flags`),
  thumbnailFailed: (error: string) => `No thumbnail: ${error}`,
} as const;
