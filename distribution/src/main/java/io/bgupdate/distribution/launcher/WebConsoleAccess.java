package io.bgupdate.distribution.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;

/**
 * The Web Console's credentials in the host; there is no default password. The framework
 * properties {@code felix.webconsole.username} and {@code felix.webconsole.password} (in
 * {@code conf/config.properties} or {@code -D} in {@code JAVA_OPTS}; the password plain or as
 * {@code {sha-256}<base64>}) win; else those saved in {@code <data>/webconsole.properties}; else
 * new ones are generated at this start, saved there (readable by the owner only) and announced
 * once. The Web Console's own configuration (PID
 * {@code org.apache.felix.webconsole.internal.servlet.OsgiManager}, say in {@code etc/}) replaces
 * them all.
 */
final class WebConsoleAccess {

    static final String USER = "felix.webconsole.username";
    static final String PASSWORD = "felix.webconsole.password";
    static final String FILE = "webconsole.properties";
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private WebConsoleAccess() {
    }

    /**
     * Puts the credentials into the framework properties, generating them if there are none.
     *
     * @param config the framework properties
     * @param dataDir where the credentials are saved
     * @return the line for the console and the log: the URL, and the password only when it was generated now
     */
    static String prepare(Map<String, String> config, Path dataDir) throws IOException {
        String url = "http://" + config.getOrDefault("org.apache.felix.http.host", "127.0.0.1") + ":"
                + config.getOrDefault("org.osgi.service.http.port", "8080")
                + config.getOrDefault("felix.webconsole.manager.root", "/system/console") + "/bgupdate";
        String configured = config.get(PASSWORD);
        if (configured != null && !configured.isBlank()) {
            return "Web Console: " + url + " (credentials from the framework properties)";
        }
        Path file = dataDir.resolve(FILE);
        Properties saved = new Properties();
        String note;
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                saved.load(r);
            }
            note = "user " + saved.getProperty("user") + ", password in " + file;
        } else {
            saved.setProperty("user", config.getOrDefault(USER, "admin"));
            saved.setProperty("password", generate());
            save(saved, file);
            note = "user " + saved.getProperty("user") + " password " + saved.getProperty("password")
                    + " (generated at this first start and shown only now; saved in " + file + ")";
        }
        String user = saved.getProperty("user", "");
        String password = saved.getProperty("password", "");
        if (user.isBlank() || password.isBlank()) {
            throw new IllegalArgumentException(file + " needs both user and password (delete it to have new ones generated)");
        }
        config.put(USER, user);
        config.put(PASSWORD, hash(password));
        return "Web Console: " + url + " " + note;
    }

    /** @return the password as the Felix Web Console takes it hashed: {@code {sha-256}} and the Base64 of its SHA-256 */
    static String hash(String password) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return "{sha-256}" + Base64.getEncoder().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String generate() {
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    private static void save(Properties credentials, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " appeared meanwhile: another host starting on the same data directory?", e);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            credentials.store(w, "Felix Web Console credentials of the bgupdate host; delete this file for new ones");
        }
    }
}
