export * from '../../../../shared/charts/line-chart';
