export * from '../../../../shared/heatmap/colormap-anchors';
