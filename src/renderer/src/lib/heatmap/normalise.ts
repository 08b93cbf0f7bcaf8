export * from '../../../../shared/heatmap/normalise';
