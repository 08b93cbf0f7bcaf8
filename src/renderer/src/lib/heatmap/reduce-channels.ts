export * from '../../../../shared/heatmap/reduce-channels';
