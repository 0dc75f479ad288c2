package io.bgupdate.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The machine a run ran on, and how busy it was: the 1-, 5- and 15-minute load averages at the
 * start and at the end of the run.
 *
 * @param cpu the CPU model
 * @param cores available processors
 * @param memoryGib physical memory
 * @param os kernel
 * @param java the JVM
 * @param loadAtStart /proc/loadavg's first three fields at the start
 * @param loadAtEnd the same at the end, empty until then
 */
record Machine(String cpu, int cores, double memoryGib, String os, String java, String loadAtStart, String loadAtEnd) {

    static Machine now() {
        return new Machine(readCpu(), Runtime.getRuntime().availableProcessors(), readMemoryGib(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), load(), "");
    }

    Machine withLoadAtEnd() {
        return new Machine(cpu, cores, memoryGib, os, java, loadAtStart, load());
    }

    /** @return the 1-minute load average at the start, NaN if unknown */
    double load1AtStart() {
        return first(loadAtStart);
    }

    double load1AtEnd() {
        return first(loadAtEnd);
    }

    private static double first(String load) {
        try {
            return Double.parseDouble(load.split(" ")[0]);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    String describe() {
        return String.format(Locale.ROOT, "%d cores (%s), %.1f GiB, %s, %s, load average %s", cores, cpu, memoryGib, os, java,
                loadAtStart);
    }

    /**
     * @param root the repository
     * @return the commit checked out, whether bgupdate's sources differ from it, and the runner and
     *         rate-limit bundles measured (their build time and the start of their SHA-256)
     */
    static String build(Path root) {
        StringBuilder b = new StringBuilder();
        try {
            Process p = new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String head = new String(p.getInputStream().readAllBytes()).trim();
            Process d = new ProcessBuilder("git", "-C", root.toString(), "status", "--porcelain", "--", "api-bundle", "runner-bundle",
                    "ratelimit-controller-bundle").redirectErrorStream(true).start();
            boolean dirty = !new String(d.getInputStream().readAllBytes()).isBlank();
            if (p.waitFor() == 0) {
                b.append("commit `").append(head).append('`').append(dirty ? " with uncommitted changes to the bundles" : "");
            }
        } catch (IOException e) {
            b.append("commit unknown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String name : List.of(Host.RUNNER, Host.RATELIMIT)) {
            Path jar = Host.bundleFile(name);
            try {
                byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar));
                StringBuilder hex = new StringBuilder();
                for (int i = 0; i < 4; i++) {
                    hex.append(String.format(Locale.ROOT, "%02x", sha[i]));
                }
                b.append(String.format(Locale.ROOT, "; `%s.jar` of %s (sha256 %s…)", name,
                        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC)
                                .format(Files.getLastModifiedTime(jar).toInstant()), hex));
            } catch (IOException | NoSuchAlgorithmException e) {
                b.append("; ").append(name).append(" unknown");
            }
        }
        return b.toString();
    }

    /** One short line for the table's machine column. */
    String shortForm() {
        return String.format(Locale.ROOT, "%d-core %s, load %.1f→%.1f", cores, cpu.replace("(R)", "").replace(" Processor", ""),
                load1AtStart(), load1AtEnd());
    }

    private static String readCpu() {
        for (String line : lines("/proc/cpuinfo")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch");
    }

    private static double readMemoryGib() {
        for (String line : lines("/proc/meminfo")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1048576.0;
            }
        }
        return Double.NaN;
    }

    private static String load() {
        List<String> l = lines("/proc/loadavg");
        if (l.isEmpty()) {
            return "?";
        }
        String[] f = l.get(0).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }
}
