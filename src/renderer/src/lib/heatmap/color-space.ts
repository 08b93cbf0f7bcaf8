export * from '../../../../shared/heatmap/color-space';
