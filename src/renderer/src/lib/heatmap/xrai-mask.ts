export * from '../../../../shared/heatmap/xrai-mask';
