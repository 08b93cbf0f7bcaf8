/**
 * Named CT windows, centre and width in Hounsfield units. The values are the usual ones of
 * radiology teaching and PACS viewers (Radiopaedia's "Windowing (CT)" table; the soft-tissue
 * window is the one OHIF and Weasis offer). They only make sense for modality values in HU, that
 * is CT after its Modality LUT (Rescale Slope/Intercept); a PNG has no HU, so a card that names a
 * preset refuses a PNG rather than guessing (see src/main/engine/image/medical/card-window.ts).
 */
export const windowPresets = {
  lung: { center: -600, width: 1500 },
  mediastinum: { center: 50, width: 350 },
  bone: { center: 400, width: 1800 },
  brain: { center: 40, width: 80 },
  'soft-tissue': { center: 40, width: 400 },
  abdomen: { center: 50, width: 400 },
  liver: { center: 30, width: 150 },
} as const satisfies Record<string, { center: number; width: number }>;

export type WindowPresetName = keyof typeof windowPresets;

export const windowPresetNames = Object.keys(windowPresets) as [WindowPresetName, ...WindowPresetName[]];
