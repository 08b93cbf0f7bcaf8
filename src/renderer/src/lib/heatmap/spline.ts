export * from '../../../../shared/heatmap/spline';
