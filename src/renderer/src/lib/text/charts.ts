/** The strings of the evaluation charts: line charts of metric curves and the axioms table. */

export const chartsText = {
  noData: 'No data to plot.',
  legend: 'Series',
  /** The chart's accessible name: what is plotted against what, then each series in brief. */
  summary: (title: string | undefined, yLabel: string, xLabel: string, series: readonly string[]) =>
    `${title ? `${title}. ` : ''}Line chart of ${yLabel || 'value'} against ${xLabel || 'x'}${series.length > 0 ? `. ${series.join('; ')}` : ''}.`,
  seriesSummary: (name: string, points: number, first: string, last: string, min: string, max: string) =>
    points === 0 ? `${name}: no points` : `${name}: ${points} point${points === 1 ? '' : 's'}, from ${first} to ${last} (lowest ${min}, highest ${max})`,
  scatterSummary: (title: string | undefined, yLabel: string, xLabel: string, series: readonly string[]) =>
    `${title ? `${title}. ` : ''}Scatter plot of ${yLabel || 'value'} against ${xLabel || 'x'}${series.length > 0 ? `. ${series.join('; ')}` : ''}.`,
  tableCaption: (title: string | undefined) => (title ? `Data of the chart: ${title}` : 'Data of the chart'),
  seriesColumn: 'Series',
  labelColumn: 'Label',
  point: (name: string, x: string, y: string, label?: string) => `${name}: ${label ? `${label} (${x})` : x}, ${y}`,
  shaded: 'shaded: area under the curve',
  axioms: {
    caption: 'Axioms of attribution',
    captionTolerance: (tolerance: string) => `Axioms of attribution (holds when the relative error is at most ${tolerance})`,
    method: 'Method',
    passed: 'Passed',
    passedCount: (passed: number, checked: number) => `${passed} of ${checked}`,
    holds: 'holds',
    fails: 'fails',
    notMeasured: 'n/a',
    error: (value: string) => `error ${value}`,
    names: {
      completeness: 'Completeness',
      implementationInvariance: 'Implementation invariance',
      dummy: 'Dummy',
      symmetry: 'Symmetry',
    },
    help: {
      completeness: 'The attributions add up to f(input) − f(baseline).',
      implementationInvariance: 'The same function, rewritten with extra BatchNorm layers, gets the same attributions.',
      dummy: 'Inputs the model ignores get no attribution (on a synthetic model).',
      symmetry: 'Inputs with the same role, value and baseline get the same attribution (on a synthetic model).',
    },
    detail: {
      completeness: (sum: string, difference: string) => `Σ attributions ${sum}, f(x) − f(baseline) ${difference}`,
      implementationInvariance: (spearman: string, inserted: number) => `rank correlation ${spearman}, ${inserted} BatchNorm${inserted === 1 ? '' : 's'} inserted`,
    },
    why: {
      noConv: 'Not measured: the model has no convolution to rewrite with BatchNorms.',
      synthetic: 'Not measured: the method cannot run on the synthetic model (e.g. a CAM needs a spatial layer).',
      missing: 'Not measured.',
    },
    empty: 'No axioms measured yet.',
  },
} as const;
