export * from '../../../../shared/heatmap/percentile';
