import type { RouterOutputs } from '@ethcast/client';
import {
  ColorType,
  createChart,
  type IChartApiBase,
  type IPrimitivePaneRenderer,
  type IPrimitivePaneView,
  type ISeriesApi,
  type ISeriesPrimitive,
  LineSeries,
  LineStyle,
  type SeriesAttachedParameter,
  type Time,
} from 'lightweight-charts';
import { type CSSProperties, useEffect, useRef } from 'react';
import { useI18n } from '../i18n.tsx';

export type ChartBandPoint = RouterOutputs['predicts']['byId']['points'][number];
type BandedPoint = Required<ChartBandPoint>;

const hasBands = (p: ChartBandPoint): p is BandedPoint =>
  p.lower80 !== undefined && p.upper80 !== undefined && p.lower95 !== undefined && p.upper95 !== undefined;

type Props = {
  closes: { day: string; close: number }[];
  points: ChartBandPoint[];
  actuals?: { day: string; actual: number }[];
  label: string;
  height?: number;
};

const colors = {
  close: '#334155',
  forecast: '#4338ca',
  band80: 'rgba(67, 56, 202, 0.24)',
  band95: 'rgba(67, 56, 202, 0.10)',
  actual: '#c2410c',
};

type Target = Parameters<IPrimitivePaneRenderer['draw']>[0];

/** Fills the area between two price paths (the 80% and 95% intervals) beneath the forecast line. */
class BandPrimitive implements ISeriesPrimitive<Time> {
  private chart: IChartApiBase<Time> | null = null;
  private series: ISeriesApi<'Line', Time> | null = null;
  private readonly views: IPrimitivePaneView[];

  constructor(private bands: { points: { day: string; lower: number; upper: number }[]; color: string }[]) {
    const renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) };
    this.views = [{ zOrder: () => 'bottom', renderer: () => renderer }];
  }

  attached(param: SeriesAttachedParameter<Time, 'Line'>) {
    this.chart = param.chart;
    this.series = param.series;
  }

  detached() {
    this.chart = null;
    this.series = null;
  }

  paneViews() {
    return this.views;
  }

  private draw(target: Target) {
    const { chart, series } = this;
    if (!chart || !series) return;
    // biome-ignore lint/correctness/useHookAtTopLevel: fancy-canvas API, not a React hook
    target.useMediaCoordinateSpace(({ context }) => {
      for (const band of this.bands) {
        const upper: [number, number][] = [];
        const lower: [number, number][] = [];
        for (const p of band.points) {
          const x = chart.timeScale().timeToCoordinate(p.day);
          const yHigh = series.priceToCoordinate(p.upper);
          const yLow = series.priceToCoordinate(p.lower);
          if (x === null || yHigh === null || yLow === null) continue;
          upper.push([x, yHigh]);
          lower.push([x, yLow]);
        }
        if (upper.length < 2) continue;
        context.beginPath();
        for (const [i, [x, y]] of upper.entries()) {
          if (i === 0) context.moveTo(x, y);
          else context.lineTo(x, y);
        }
        for (const [x, y] of lower.reverse()) context.lineTo(x, y);
        context.closePath();
        context.fillStyle = band.color;
        context.fill();
      }
    });
  }
}

/** Recent closes, the forecast with its 80%/95% bands and, once known, the actual closes. */
export default function ForecastChart({ closes, points, actuals = [], label, height = 360 }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const { locale, t, money } = useI18n();

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = createChart(el, {
      autoSize: true,
      height,
      layout: {
        background: { type: ColorType.Solid, color: '#ffffff' },
        textColor: '#4b5563',
        fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
        attributionLogo: false,
      },
      grid: { vertLines: { color: '#f1f3f7' }, horzLines: { color: '#f1f3f7' } },
      rightPriceScale: { borderVisible: false },
      timeScale: { borderVisible: false, fixLeftEdge: true, fixRightEdge: true },
      localization: { locale, priceFormatter: (price: number) => money(price) },
      handleScroll: false,
      handleScale: false,
    });

    // The forecast starts from the last close it was made from, so the lines join.
    const last = closes.at(-1);
    const anchor: ChartBandPoint[] =
      last && points[0] && last.day < points[0].day
        ? [
            {
              day: last.day,
              value: last.close,
              lower80: last.close,
              upper80: last.close,
              lower95: last.close,
              upper95: last.close,
            },
          ]
        : [];
    const joined = [...anchor, ...points];

    const closeSeries = chart.addSeries(LineSeries, {
      color: colors.close,
      lineWidth: 2,
      priceLineVisible: false,
      lastValueVisible: false,
      title: '',
    });
    closeSeries.setData(closes.map((c) => ({ time: c.day, value: c.close })));

    const boundOptions = {
      color: 'rgba(67, 56, 202, 0.45)',
      lineWidth: 1,
      lineStyle: LineStyle.Dotted,
      priceLineVisible: false,
      lastValueVisible: false,
      crosshairMarkerVisible: false,
    } as const;
    // Forecasts taken over from the legacy backend have no bands: none is drawn (nor invented).
    const banded = points.some(hasBands) ? joined.filter(hasBands) : [];
    if (banded.length > 0) {
      chart
        .addSeries(LineSeries, boundOptions)
        .setData(banded.map((p) => ({ time: p.day, value: p.upper95 })));
      chart
        .addSeries(LineSeries, boundOptions)
        .setData(banded.map((p) => ({ time: p.day, value: p.lower95 })));
    }

    const forecastSeries = chart.addSeries(LineSeries, {
      color: colors.forecast,
      lineWidth: 2,
      lineStyle: LineStyle.Dashed,
      priceLineVisible: false,
    });
    forecastSeries.setData(joined.map((p) => ({ time: p.day, value: p.value })));
    if (banded.length > 0) {
      forecastSeries.attachPrimitive(
        new BandPrimitive([
          {
            points: banded.map((p) => ({ day: p.day, lower: p.lower95, upper: p.upper95 })),
            color: colors.band95,
          },
          {
            points: banded.map((p) => ({ day: p.day, lower: p.lower80, upper: p.upper80 })),
            color: colors.band80,
          },
        ]),
      );
    }

    if (actuals.length > 0) {
      const actualSeries = chart.addSeries(LineSeries, {
        color: colors.actual,
        lineWidth: 2,
        priceLineVisible: false,
        pointMarkersVisible: true,
      });
      actualSeries.setData([
        ...(anchor[0] ? [{ time: anchor[0].day, value: anchor[0].value }] : []),
        ...actuals.map((a) => ({ time: a.day, value: a.actual })),
      ]);
    }

    chart.timeScale().fitContent();
    // Keep the whole history and forecast in view when the container changes width (rotation, resize).
    const resize = new ResizeObserver(() => chart.timeScale().fitContent());
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.remove();
    };
  }, [closes, points, actuals, height, locale, money]);

  return (
    <figure className="chart">
      <div ref={ref} className="chart-canvas" role="img" aria-label={label} style={{ height }} />
      <figcaption className="legend">
        <LegendItem swatch="line" style={{ background: colors.close }} label={t('chart.close')} />
        <LegendItem
          swatch="line dashed"
          style={{ borderColor: colors.forecast }}
          label={t('chart.forecast')}
        />
        {points.some(hasBands) && (
          <>
            <LegendItem swatch="box" style={{ background: colors.band80 }} label={t('chart.band80')} />
            <LegendItem swatch="box" style={{ background: colors.band95 }} label={t('chart.band95')} />
          </>
        )}
        {actuals.length > 0 && (
          <LegendItem swatch="line" style={{ background: colors.actual }} label={t('chart.actual')} />
        )}
      </figcaption>
    </figure>
  );
}

/** One entry of the chart's legend: a swatch drawn like its series, and the series' name. */
function LegendItem({ swatch, style, label }: { swatch: string; style: CSSProperties; label: string }) {
  return (
    <span>
      <i className={`swatch ${swatch}`} style={style} /> {label}
    </span>
  );
}
