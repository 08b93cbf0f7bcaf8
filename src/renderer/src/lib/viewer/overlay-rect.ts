export * from '../../../../shared/heatmap/overlay-rect';
