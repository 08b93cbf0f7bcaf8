/**
 * The memory one run of an attribution graph may use (path points, noise samples or images that
 * share one onnxruntime run), in MiB. Defined once: the settings' default, the engine's memory
 * plan and the README all read it. On a CPU, runs of a few rows are as fast as big ones and need
 * far less memory, so the CPU budget is small; on a GPU, big runs amortise launch overhead.
 */
export const defaultMemoryBudgetMiB = { cpu: 384, accelerator: 2048 } as const;
