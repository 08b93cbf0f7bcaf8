/**
 * The memory one run of an attribution graph may use (path points, noise samples or images that
 * share one onnxruntime run), in MiB. Defined once: the settings' default, the engine's memory
 * plan and the README all read it. On the CPU, a gigabyte gives DenseNet-sized models two rows per
 * run (5% faster per row than one) and keeps the engine well inside a workstation's memory; on a
 * GPU, big runs amortise launch overhead.
 */
export const defaultMemoryBudgetMiB = { cpu: 1024, accelerator: 2048 } as const;
