/** How maps are shown. Changing any of these redraws from the arrays already in the renderer. */
export type NormalisationMode = 'absolute' | 'signed' | 'positive';

export class DisplaySettings {
  colormap = $state('inferno');
  /** For signed maps: the diverging map used when the mode is `signed`. */
  divergingColormap = $state('coolwarm');
  opacity = $state(0.6);
  mode: NormalisationMode = $state('absolute');
  /** Percentile of |value| that maps to the top of the colour scale (100 = the maximum). */
  percentile = $state(99.5);
  /** Side by side: one colour scale across every panel, or each panel its own. */
  shared = $state(false);
  /** XRAI: the share of the image to highlight, 0.01..1. */
  xraiArea = $state(0.1);
  showOverlay = $state(true);

  /** The colormap for the current mode: signed maps need a diverging scale centred at zero. */
  get activeColormap(): string {
    return this.mode === 'signed' ? this.divergingColormap : this.colormap;
  }
}
