import type { ExplainPart } from '../state/explain-timing';

/** The strings of an explanation's time from the click to the overlay (the inspector's status line). */
export const explainTimingText = {
  computed: (ms: string) => `computed in ${ms}`,
  onScreen: (ms: string) => `on screen in ${ms}`,
  breakdownTitle: 'From the click on Explain to the overlay on screen:',
  parts: {
    request: 'request prepared in the page',
    toEngine: 'to the engine (channel, waiting for its thread)',
    queue: 'queued in the engine',
    preprocess: 'image prepared for the model',
    graphs: 'compiled graphs obtained',
    compute: 'attribution computed',
    engineOther: 'other engine work (target, checks)',
    fromEngine: 'back from the engine (serialisation, channel, decoding)',
    decode: 'result checked and reduced to the map',
    draw: 'overlay drawn',
  } satisfies Record<ExplainPart, string>,
  graphSource: (sources: string) => `graphs from ${sources}`,
};
