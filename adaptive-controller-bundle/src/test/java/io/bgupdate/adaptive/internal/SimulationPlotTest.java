package io.bgupdate.adaptive.internal;

import static org.junit.Assert.assertTrue;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the simulated light → heavy → light run of {@link ControlLawSimulationTest} for the README
 * ({@code target/adaptive-simulation.png}; the README's copy is {@code docs/adaptive/}).
 */
public class SimulationPlotTest {

    static final Path PNG = Path.of("target", "adaptive-simulation.png");

    @Test
    public void plotsASimulatedRun() throws Exception {
        SimulatedDatabase sim = ControlLawSimulationTest.lightHeavyLight();
        sim.runUntil(ControlLawSimulationTest.STEP_DOWN + 30_000);
        List<SimulatedDatabase.Point> pts = sim.points;
        // Mean over 1 s, as a monitoring graph would show it.
        int n = pts.size() / 10;
        double[] t = new double[n];
        double[] ratio = new double[n];
        double[] duty = new double[n];
        double[] rate = new double[n];
        for (int i = 0; i < n; i++) {
            List<SimulatedDatabase.Point> s = pts.subList(i * 10, i * 10 + 10);
            t[i] = s.get(9).millis() / 1000.0;
            ratio[i] = s.stream().mapToDouble(p -> p.foreground() / p.alone()).average().orElseThrow();
            duty[i] = s.stream().mapToDouble(SimulatedDatabase.Point::duty).average().orElseThrow();
            rate[i] = (s.get(9).items() - (i == 0 ? 0 : pts.get(i * 10 - 1).items())) / 1000.0;
        }
        XYChart chart = new XYChartBuilder().width(1100).height(520)
                .title("Adaptive controller, simulated: foreground utilisation 0.3 -> 0.7 (t = 40-70 s) -> 0.3; a batch adds 0.5; target +50 %")
                .xAxisTitle("time (s)").yAxisTitle("foreground latency / latency alone").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setXAxisTickMarkSpacingHint(80);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setYAxisMax(0, 2.5);
        chart.getStyler().setYAxisMin(1, 0.0);
        chart.getStyler().setYAxisMax(1, 1.0);
        add(chart, "foreground latency / alone (1-s mean)", t, ratio, 0, new Color(200, 30, 30));
        add(chart, "duty cycle (right axis)", t, duty, 1, new Color(31, 119, 180));
        add(chart, "back-fill items per ms (right axis)", t, rate, 1, new Color(44, 160, 44));
        chart.setYAxisGroupTitle(1, "duty cycle, back-fill items per ms");
        Files.createDirectories(PNG.getParent());
        BitmapEncoder.saveBitmap(chart, PNG.toString(), BitmapEncoder.BitmapFormat.PNG);
        assertTrue(Files.size(PNG) > 10_000);
    }

    private static void add(XYChart chart, String name, double[] x, double[] y, int group, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setYAxisGroup(group);
        s.setLineColor(color);
    }
}
