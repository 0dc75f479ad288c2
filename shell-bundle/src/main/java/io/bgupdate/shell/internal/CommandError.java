package io.bgupdate.shell.internal;

/**
 * A command that cannot be done, such as an unknown database or update or wrong arguments,
 * shown as one line: {@code error: unknown database 'x'; databases: main}.
 *
 * <p>Gogo's interactive shell prints a failed command's exception by {@code toString()}, and
 * the exception's class name would lead that line; Karaf prints the message. Both stay one line
 * and show no stack trace. It is an {@link IllegalArgumentException}, so code that runs the
 * commands through a {@code CommandSession} can catch it as one.
 */
final class CommandError extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong; line breaks become blanks */
    CommandError(String message) {
        super(Tables.oneLine(message));
    }

    @Override
    public String toString() {
        return "error: " + getMessage();
    }
}
