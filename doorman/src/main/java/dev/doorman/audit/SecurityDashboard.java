package dev.doorman.audit;

import dev.doorman.web.Pages;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The admin security page's content: failed logins over the last hour or day as a stacked bar chart by reason (laid
 * out here, drawn as SVG by the template, so it needs no JavaScript and no monitoring stack), the addresses most
 * failures came from, and the lockouts the trail records.
 */
public final class SecurityDashboard {
    /** The two windows the page offers. */
    public enum Window {
        HOUR(Duration.ofHours(1), Duration.ofMinutes(5), "last hour", DateTimeFormatter.ofPattern("HH:mm")),
        DAY(Duration.ofDays(1), Duration.ofHours(1), "last 24 hours", DateTimeFormatter.ofPattern("HH:mm"));

        final Duration span;
        final Duration bucket;
        final String label;
        final DateTimeFormatter tick;

        Window(Duration span, Duration bucket, String label, DateTimeFormatter tick) {
            this.span = span;
            this.bucket = bucket;
            this.label = label;
            this.tick = tick.withZone(ZoneOffset.UTC);
        }

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Bar(int x, int y, int width, int height, String color, String title) { }

    public record Label(int x, int y, String text) { }

    public record LegendItem(String color, String reason, long count) { }

    public record Chart(int width, int height, int plotLeft, int plotTop, int plotWidth, int plotHeight, List<Bar> bars, List<Label> xLabels,
                        List<Label> yLabels, List<LegendItem> legend, String description) { }

    public record Source(String ip, long failures, long accounts) { }

    public record Lockout(String at, String type, String account, String ip, String reason) { }

    public record Page(Pages.Nav nav, String window, String windowLabel, long total, Chart chart, List<Source> sources, List<Lockout> lockouts) { }

    /** Distinguishable colours (Okabe–Ito), in the order reasons are first seen; the rest share grey. */
    private static final List<String> PALETTE = List.of("#D55E00", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#F0E442");
    private static final String OTHER = "#999999";
    private static final int WIDTH = 720;
    private static final int HEIGHT = 260;
    private static final int LEFT = 48;
    private static final int TOP = 12;
    private static final int PLOT_WIDTH = WIDTH - LEFT - 12;
    private static final int PLOT_HEIGHT = HEIGHT - TOP - 36;
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final AuditStatistics statistics;
    private final Clock clock;

    public SecurityDashboard(AuditStatistics statistics, Clock clock) {
        this.statistics = statistics;
        this.clock = clock;
    }

    public Page build(Pages.Nav nav, Window window) {
        Instant now = clock.instant();
        int buckets = (int) (window.span.toMillis() / window.bucket.toMillis());
        // Buckets end at the next bucket boundary after now, so the last bar is the current, filling interval.
        long width = window.bucket.toMillis();
        Instant until = Instant.ofEpochMilli((now.toEpochMilli() / width + 1) * width);
        Instant since = until.minus(window.span);
        var counts = statistics.countsByBucket(AuditType.LOGIN_FAILED.wireName(), since, until, window.bucket);

        Map<String, Long> totals = new LinkedHashMap<>();
        Map<Integer, TreeMap<String, Long>> byBucket = new TreeMap<>();
        for (var c : counts) {
            String reason = c.reason().isEmpty() ? "unknown" : c.reason();
            totals.merge(reason, c.count(), Long::sum);
            byBucket.computeIfAbsent(c.bucket(), b -> new TreeMap<>()).merge(reason, c.count(), Long::sum);
        }
        var colors = new LinkedHashMap<String, String>();
        totals.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> colors.put(e.getKey(), colors.size() < PALETTE.size() ? PALETTE.get(colors.size()) : OTHER));
        long total = totals.values().stream().mapToLong(Long::longValue).sum();
        long max = byBucket.values().stream().mapToLong(m -> m.values().stream().mapToLong(Long::longValue).sum()).max().orElse(0);
        long scale = niceCeiling(Math.max(max, 1));

        var bars = new ArrayList<Bar>();
        int slot = PLOT_WIDTH / buckets;
        for (var entry : byBucket.entrySet()) {
            int b = entry.getKey();
            if (b < 0 || b >= buckets) continue;
            int x = LEFT + b * slot + 2;
            long stacked = 0;
            Instant from = since.plus(window.bucket.multipliedBy(b));
            for (String reason : colors.keySet()) {
                long n = entry.getValue().getOrDefault(reason, 0L);
                if (n == 0) continue;
                int y0 = TOP + PLOT_HEIGHT - (int) Math.round((double) stacked / scale * PLOT_HEIGHT);
                stacked += n;
                int y1 = TOP + PLOT_HEIGHT - (int) Math.round((double) stacked / scale * PLOT_HEIGHT);
                bars.add(new Bar(x, y1, slot - 4, Math.max(1, y0 - y1), colors.get(reason),
                        n + " × " + reason + " from " + window.tick.format(from) + " UTC"));
            }
        }
        var xLabels = new ArrayList<Label>();
        int every = Math.max(1, buckets / 6);
        for (int b = 0; b <= buckets; b += every)
            xLabels.add(new Label(LEFT + b * slot, TOP + PLOT_HEIGHT + 16, window.tick.format(since.plus(window.bucket.multipliedBy(b)))));
        var yLabels = new ArrayList<Label>();
        for (int i = 0; i <= 4; i++)
            yLabels.add(new Label(LEFT - 6, TOP + PLOT_HEIGHT - i * PLOT_HEIGHT / 4 + 4, Long.toString(scale * i / 4)));
        var legend = colors.entrySet().stream().map(e -> new LegendItem(e.getValue(), e.getKey(), totals.get(e.getKey()))).toList();
        String description = total == 0 ? "No failed logins in the " + window.label + "."
                : total + " failed logins in the " + window.label + ", at most " + max + " per " + humanize(window.bucket) + ".";
        var chart = new Chart(WIDTH, HEIGHT, LEFT, TOP, PLOT_WIDTH, PLOT_HEIGHT, bars, xLabels, yLabels, legend, description);

        var sources = statistics.topSources(AuditType.LOGIN_FAILED.wireName(), since, 10).stream()
                .map(s -> new Source(s.ip().isEmpty() ? "(none)" : s.ip(), s.failures(), s.accounts())).toList();
        var lockouts = statistics.lockouts(now.minus(Duration.ofDays(1)), 50).stream()
                .map(r -> new Lockout(SHOWN.format(r.at()), r.type(),
                        r.user().map(Object::toString).or(r::subjectHint).orElse("—"), r.ip().isEmpty() ? "—" : r.ip(), r.reason().orElse("—")))
                .toList();
        return new Page(nav, window.id(), window.label, total, chart, sources, lockouts);
    }

    /** The smallest 4 × {1, 2, 5} × 10^k at or above n: four gridlines at round numbers. */
    static long niceCeiling(long n) {
        for (long step = 1; ; step *= 10)
            for (long m : new long[]{1, 2, 5})
                if (4 * m * step >= n) return 4 * m * step;
    }

    private static String humanize(Duration d) {
        return d.toHours() >= 1 ? d.toHours() + " h" : d.toMinutes() + " min";
    }
}
