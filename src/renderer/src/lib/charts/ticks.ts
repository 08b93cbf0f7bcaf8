export * from '../../../../shared/charts/ticks';
