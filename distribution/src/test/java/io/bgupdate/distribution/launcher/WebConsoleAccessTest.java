package io.bgupdate.distribution.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class WebConsoleAccessTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static Map<String, String> config() {
        Map<String, String> c = new HashMap<>();
        c.put("org.apache.felix.http.host", "127.0.0.1");
        c.put("org.osgi.service.http.port", "8181");
        return c;
    }

    @Test
    public void generatesAtTheFirstStartShowsTheOnceAndKeepsThem() throws Exception {
        Path data = tmp.getRoot().toPath().resolve("data");
        Map<String, String> first = config();
        String line = WebConsoleAccess.prepare(first, data);
        Matcher m = Pattern.compile("^Web Console: http://127.0.0.1:8181/system/console/bgupdate user admin password (\\S{20}) \\(generated")
                .matcher(line);
        assertTrue(line, m.find());
        Path file = data.resolve(WebConsoleAccess.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("admin", first.get(WebConsoleAccess.USER));
        assertEquals(WebConsoleAccess.hash(m.group(1)), first.get(WebConsoleAccess.PASSWORD));

        Map<String, String> second = config();
        String again = WebConsoleAccess.prepare(second, data);
        assertFalse("the password is shown only once: " + again, again.contains(m.group(1)));
        assertTrue(again, again.contains("password in " + file));
        assertEquals(first, second);
    }

    @Test
    public void configuredCredentialsWinAndNothingIsWritten() throws Exception {
        Path data = tmp.getRoot().toPath();
        Map<String, String> c = config();
        c.put(WebConsoleAccess.USER, "ops");
        c.put(WebConsoleAccess.PASSWORD, "s3cret");
        String line = WebConsoleAccess.prepare(c, data);
        assertEquals("Web Console: http://127.0.0.1:8181/system/console/bgupdate (credentials from the framework properties)", line);
        assertEquals("s3cret", c.get(WebConsoleAccess.PASSWORD));
        assertFalse(Files.exists(data.resolve(WebConsoleAccess.FILE)));
    }

    @Test
    public void aBrokenFileIsAOneLineErrorNotAnOpenConsole() throws Exception {
        Path data = tmp.getRoot().toPath();
        Files.writeString(data.resolve(WebConsoleAccess.FILE), "user=admin\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebConsoleAccess.prepare(config(), data));
        assertTrue(e.getMessage(), e.getMessage().endsWith("needs both user and password (delete it to have new ones generated)"));
    }

    @Test
    public void hashIsTheWebConsolesSha256Format() {
        // The Felix Web Console's own default, the hash of "admin".
        assertEquals("{sha-256}jGl25bVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg=", WebConsoleAccess.hash("admin"));
    }
}
