package io.bgupdate.distribution.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.Test;

public class OptionsTest {

    private static final Path HOME = Path.of("/opt/bgupdate");

    private static Options parse(Map<String, String> env, String... args) {
        return Options.parse(args, env, HOME);
    }

    @Test
    public void defaultsAreUnderTheWorkingDirectoryAndTheHost() {
        Options o = parse(Map.of());
        assertFalse(o.untilComplete());
        assertEquals(Path.of("data").toAbsolutePath(), o.dataDir());
        assertEquals(Path.of("log").toAbsolutePath(), o.logDir());
        assertEquals(Path.of("/opt/bgupdate/etc"), o.etcDir());
        assertEquals(Duration.ofMinutes(30), o.timeout());
    }

    @Test
    public void optionsBeatTheEnvironment() {
        Options o = parse(Map.of("BGUPDATE_DATA_DIR", "/srv/d", "BGUPDATE_LOG_DIR", "/srv/l"),
                "--until-complete", "--timeout", "90", "--progress", "2", "--log-dir", "/var/log/bg", "--etc", "conf/../etc2");
        assertTrue(o.untilComplete());
        assertEquals(Duration.ofSeconds(90), o.timeout());
        assertEquals(Duration.ofSeconds(2), o.progressEvery());
        assertEquals(Path.of("/srv/d"), o.dataDir());
        assertEquals(Path.of("/var/log/bg"), o.logDir());
        assertEquals(Path.of("etc2").toAbsolutePath(), o.etcDir());
    }

    @Test
    public void badCommandLinesAreOneClearLine() {
        assertEquals("unknown option '--until' (see --help)",
                assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--until")).getMessage());
        assertEquals("--timeout takes a whole number of seconds, at least 1, not 'soon'",
                assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--until-complete", "--timeout", "soon")).getMessage());
        assertEquals("--timeout needs a value",
                assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--until-complete", "--timeout")).getMessage());
        assertEquals("--timeout needs --until-complete or --exec",
                assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--timeout", "5")).getMessage());
        assertEquals("--until-complete, --exec and --no-shell exclude each other",
                assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--no-shell", "--exec", "lb")).getMessage());
        assertEquals("--exec takes one command line (separate commands with ';'), not 'lb\\nexit'",
                assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--exec", "lb\nexit")).getMessage());
        assertEquals("--exec needs a value", assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--exec")).getMessage());
    }

    @Test
    public void theDeployFolderIsNextToEtcUnlessTold() {
        assertEquals(Path.of("/opt/bgupdate/deploy"), parse(Map.of()).deployDir());
        assertEquals(Path.of("/srv/host/deploy"), parse(Map.of(), "--etc", "/srv/host/etc").deployDir());
        assertEquals(Path.of("/srv/jars"), parse(Map.of("BGUPDATE_DEPLOY_DIR", "/srv/jars")).deployDir());
        assertEquals(Path.of("/x/d"), parse(Map.of("BGUPDATE_DEPLOY_DIR", "/srv/jars"), "--deploy", "/x/d").deployDir());
    }

    @Test
    public void execTakesOneCommandAndItsOwnTimeout() {
        Options o = parse(Map.of(), "--exec", " bgupdate:pause main ");
        assertEquals("bgupdate:pause main", o.exec());
        assertEquals(Options.EXEC_TIMEOUT, o.timeout());
        assertEquals(Duration.ofSeconds(5), parse(Map.of(), "--exec", "lb", "--timeout", "5").timeout());
        assertTrue(parse(Map.of(), "--no-shell").noShell());
    }

    @Test
    public void httpPortFromTheOptionOrTheEnvironmentAndChecked() {
        assertEquals(0, parse(Map.of()).httpPort());
        assertEquals(9000, parse(Map.of("BGUPDATE_HTTP_PORT", "9000")).httpPort());
        assertEquals(9001, parse(Map.of("BGUPDATE_HTTP_PORT", "9000"), "--http-port", "9001").httpPort());
        for (String bad : new String[] {"0", "65536", "x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--http-port", bad));
            assertEquals("--http-port takes a TCP port from 1 to 65535, not '" + bad + "'", e.getMessage());
        }
    }
}
