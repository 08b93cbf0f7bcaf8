export * from '../../../../shared/heatmap/ticks';
