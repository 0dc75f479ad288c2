package io.bgupdate.shell.internal;

import java.util.ArrayList;
import java.util.Formatter;
import java.util.List;
import java.util.Locale;

/**
 * A text table with fixed-width columns, each as wide as its widest cell, separated by two
 * spaces, under a header. Lines end in {@code \n} and carry no trailing blanks, and the text has
 * no final line break, because Gogo prints a command's result with one.
 */
final class Table {

    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param columns the headers; one that starts with {@code >} is right-aligned (numbers), the
     *        {@code >} is not shown
     */
    Table(String... columns) {
        headers = new String[columns.length];
        right = new boolean[columns.length];
        for (int i = 0; i < columns.length; i++) {
            right[i] = columns[i].startsWith(">");
            headers[i] = right[i] ? columns[i].substring(1) : columns[i];
        }
    }

    /**
     * @param cells one value per column, shown by {@code String.valueOf}; line breaks become blanks
     * @return this table
     */
    Table row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.length + " columns");
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = Tables.oneLine(String.valueOf(cells[i]));
        }
        rows.add(row);
        return this;
    }

    /** @return whether no row has been added */
    boolean isEmpty() {
        return rows.isEmpty();
    }

    @Override
    public String toString() {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            width[i] = headers[i].length();
            for (String[] row : rows) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        try (Formatter f = new Formatter(new StringBuilder(), Locale.ROOT)) {
            line(f, headers, width);
            rows.forEach(row -> line(f.format("\n"), row, width));
            return f.toString();
        }
    }

    private void line(Formatter f, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(String.format(Locale.ROOT, right[i] ? "%" + width[i] + "s" : "%-" + width[i] + "s", cells[i]));
            line.append(i < cells.length - 1 ? "  " : "");
        }
        f.format("%s", line.toString().stripTrailing());
    }
}
