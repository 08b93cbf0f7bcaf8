export * from '../../../../shared/heatmap/colorize';
