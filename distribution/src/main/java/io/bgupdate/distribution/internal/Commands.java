package io.bgupdate.distribution.internal;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/** Runs one Gogo command line in a session of its own, as the interactive shell would, and keeps what it printed. */
final class Commands {

    /** The shell's scope path ({@code etc/gosh_profile}): {@code status} is {@code bgupdate:status}. */
    static final String SCOPE = "bgupdate:gogo:*";

    /**
     * @param text what the command printed and its result, as the shell shows them
     * @param failed whether it threw, or answered {@code error: ...}
     */
    record Answer(String text, boolean failed) {
    }

    private Commands() {
    }

    static Answer run(CommandProcessor processor, String line) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        boolean failed;
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out)) {
            session.put("SCOPE", SCOPE);
            try {
                Object result = session.execute(line);
                if (result != null) {
                    out.println(session.format(result, Converter.INSPECT));
                }
                failed = result instanceof CharSequence && result.toString().startsWith("error:");
            } catch (Exception e) {
                out.println(errorLine(e));
                failed = true;
            }
        }
        out.flush();
        return new Answer(buf.toString(StandardCharsets.UTF_8), failed);
    }

    /** The bgupdate commands' errors say {@code error: ...} themselves; others get it in front. */
    static String errorLine(Throwable e) {
        String s = e.toString();
        if (s.startsWith("error:")) {
            return s;
        }
        return "error: " + (e.getMessage() == null ? s : e.getMessage()).replaceAll("\\s*\\R\\s*", " ");
    }
}
