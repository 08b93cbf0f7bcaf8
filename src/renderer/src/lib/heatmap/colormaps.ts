export * from '../../../../shared/heatmap/colormaps';
