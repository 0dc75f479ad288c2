package io.bgupdate.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG plots of a run, drawn with XChart from the run's own data. */
final class Plots {

    static final String TRACKING = "batch-duration-tracking.png";
    static final String RATE = "rate-fidelity.png";
    static final String DUTY = "duty-cycle-fidelity.png";
    static final String SIZINGS_H2 = "batch-sizing-h2.png";
    static final String SIZINGS_PG = "batch-sizing-postgresql.png";

    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44)};

    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);

    private Plots() {
    }

    /** Batch duration against the target, per batch over time, with the cost change marked. */
    static void tracking(Path dir, Tracking t) throws IOException {
        List<Tracking.Point> run = t.runs.get(medianRun(t));
        XYChart chart = new XYChartBuilder().width(1100).height(520)
                .title("Batch duration vs target: per-item cost ×3 at batch " + t.params.changeAt()
                        + " (Synapse's algorithm, runner in Felix on H2)")
                .xAxisTitle("time since the first batch (s)").yAxisTitle("handler duration of the batch (ms)").build();
        style(chart);
        double[] x = run.stream().mapToDouble(Tracking.Point::seconds).toArray();
        XYSeries actual = chart.addSeries("bgupdate: measured duration", x, run.stream().mapToDouble(Tracking.Point::millis).toArray());
        actual.setMarker(SeriesMarkers.CIRCLE);
        actual.setLineWidth(1f);
        List<Tracking.Point> sim = t.referencePoints;
        XYSeries ideal = chart.addSeries("Synapse's algorithm without noise (simulated)",
                sim.stream().mapToDouble(Tracking.Point::seconds).toArray(), sim.stream().mapToDouble(Tracking.Point::millis).toArray());
        ideal.setMarker(SeriesMarkers.NONE);
        ideal.setLineColor(new Color(120, 120, 120));
        ideal.setLineStyle(DASHED);
        double end = Math.max(x[x.length - 1], sim.get(sim.size() - 1).seconds());
        XYSeries target = chart.addSeries("target (controller)", new double[] {0, end},
                new double[] {t.params.targetMillis(), t.params.targetMillis()});
        target.setMarker(SeriesMarkers.NONE);
        target.setLineColor(new Color(200, 30, 30));
        target.setLineWidth(2f);
        for (double f : new double[] {1.1, 0.9}) {
            XYSeries band = chart.addSeries(f > 1 ? "target ±10 %" : "target −10 %", new double[] {0, end},
                    new double[] {t.params.targetMillis() * f, t.params.targetMillis() * f});
            band.setMarker(SeriesMarkers.NONE);
            band.setLineColor(new Color(200, 30, 30, 110));
            band.setLineStyle(DASHED);
            band.setShowInLegend(f > 1);
        }
        double change = run.get(t.params.changeAt()).seconds();
        chart.addAnnotation(new AnnotationLine(change, true, false));
        chart.addAnnotation(new AnnotationText("cost ×3", change + 0.4, t.params.targetMillis() * 3.2, false));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(t.params.targetMillis() * 3.5);
        save(chart, dir.resolve(TRACKING));
    }

    /** Both sizings on one database: measured duration per batch index (the run of each closest to its median). */
    static void sizings(Path dir, String file, Tracking synapse, Tracking tracking) throws IOException {
        Tracking.Params p = synapse.params;
        String db = synapse.database.equals(Host.DB) ? "H2" : "PostgreSQL";
        XYChart chart = new XYChartBuilder().width(1100).height(520)
                .title("Batch duration vs target on " + db + ": per-item cost ×3 at batch " + p.changeAt() + ", Synapse's sizing vs tracking")
                .xAxisTitle("batch").yAxisTitle("handler duration of the batch (ms)").build();
        style(chart);
        int i = 0;
        for (Tracking t : new Tracking[] {synapse, tracking}) {
            List<Tracking.Point> run = t.runs.get(medianRun(t));
            Color color = PALETTE[i++];
            XYSeries s = chart.addSeries(t.label(), run.stream().mapToDouble(Tracking.Point::index).toArray(),
                    run.stream().mapToDouble(Tracking.Point::millis).toArray());
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineWidth(1f);
            s.setLineColor(color);
            s.setMarkerColor(color);
        }
        double end = p.batches();
        for (double f : new double[] {1.0, 1.1, 0.9}) {
            XYSeries band = chart.addSeries(f == 1.0 ? "target (controller)" : f > 1 ? "target ±10 %" : "target −10 %",
                    new double[] {0, end}, new double[] {p.targetMillis() * f, p.targetMillis() * f});
            band.setMarker(SeriesMarkers.NONE);
            band.setLineColor(f == 1.0 ? new Color(200, 30, 30) : new Color(200, 30, 30, 110));
            if (f != 1.0) {
                band.setLineStyle(DASHED);
            }
            band.setShowInLegend(f >= 1);
        }
        chart.addAnnotation(new AnnotationLine(p.changeAt(), true, false));
        chart.addAnnotation(new AnnotationText("cost ×3", p.changeAt() + 8, p.targetMillis() * 3.2, false));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(p.targetMillis() * 3.5);
        save(chart, dir.resolve(file));
    }

    /** Items per second in 1-s buckets against the configured rate, for the rate-limited settings. */
    static void rate(Path dir, RateFidelity r) throws IOException {
        XYChart chart = new XYChartBuilder().width(1100).height(520)
                .title("Achieved rate vs limit (rate-limit controller bundle, 1-s buckets)")
                .xAxisTitle("time in the measured window (s)").yAxisTitle("items committed per second").build();
        style(chart);
        double max = 0;
        int i = 0;
        for (RateFidelity.Result res : r.results) {
            Color color = PALETTE[i++ % PALETTE.length];
            if (!res.setting().limitsRate()) {
                continue;
            }
            double[] x = seconds(res.perSecond().length);
            XYSeries s = chart.addSeries("achieved, " + res.setting().label(), x, res.perSecond());
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(color);
            s.setMarkerColor(color);
            XYSeries limit = chart.addSeries("limit " + (long) res.setting().rate() + "/s", new double[] {0, x.length},
                    new double[] {res.setting().rate(), res.setting().rate()});
            limit.setMarker(SeriesMarkers.NONE);
            limit.setLineStyle(DASHED);
            limit.setLineColor(color.darker());
            max = Math.max(max, Math.max(res.setting().rate(), new Stats(res.perSecond()).max()));
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(max * 1.25);
        save(chart, dir.resolve(RATE));
    }

    /** Share of each second spent in batches against the configured duty cycle. */
    static void duty(Path dir, RateFidelity r) throws IOException {
        XYChart chart = new XYChartBuilder().width(1100).height(520)
                .title("Achieved duty cycle vs limit (rate-limit controller bundle, 1-s buckets)")
                .xAxisTitle("time in the measured window (s)").yAxisTitle("share of the second inside handler calls").build();
        style(chart);
        int i = 0;
        for (RateFidelity.Result res : r.results) {
            Color color = PALETTE[i++ % PALETTE.length];
            double[] x = seconds(res.dutyPerSecond().length);
            XYSeries s = chart.addSeries("achieved, " + res.setting().label(), x, res.dutyPerSecond());
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(color);
            s.setMarkerColor(color);
            if (res.setting().duty() < 1) {
                XYSeries limit = chart.addSeries("limit duty " + res.setting().duty(), new double[] {0, x.length},
                        new double[] {res.setting().duty(), res.setting().duty()});
                limit.setMarker(SeriesMarkers.NONE);
                limit.setLineStyle(DASHED);
                limit.setLineColor(color.darker());
            }
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        save(chart, dir.resolve(DUTY));
    }

    private static int medianRun(Tracking t) {
        List<Double> p50 = new ArrayList<>();
        t.figures.forEach(f -> p50.add(f.p50All()));
        double m = Stats.of(p50).median();
        int best = 0;
        for (int i = 0; i < p50.size(); i++) {
            if (Math.abs(p50.get(i) - m) < Math.abs(p50.get(best) - m)) {
                best = i;
            }
        }
        return best;
    }

    private static double[] seconds(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 0.5;
        }
        return x;
    }

    private static void style(XYChart chart) {
        Styler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setMarkerSize(4);
        chart.getStyler().setAntiAlias(true);
        chart.getStyler().setPlotGridLinesVisible(true);
    }

    private static void save(XYChart chart, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
