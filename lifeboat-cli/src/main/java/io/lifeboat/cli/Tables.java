package io.lifeboat.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * ASCII tables in etcdctl's style (olekukonko/tablewriter as etcdctl configures it: centred
 * upper-case headers, right-aligned cells, {@code +---+} borders).
 */
public final class Tables {
  private Tables() {}

  public static String render(List<String> headers, List<List<String>> rows) {
    int columns = headers.size();
    int[] width = new int[columns];
    for (int c = 0; c < columns; c++) {
      width[c] = headers.get(c).length();
      for (List<String> row : rows) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    StringBuilder b = new StringBuilder();
    String border = border(width);
    b.append(border);
    List<String> centred = new ArrayList<>();
    for (int c = 0; c < columns; c++) {
      centred.add(centre(headers.get(c), width[c]));
    }
    line(b, centred);
    b.append(border);
    for (List<String> row : rows) {
      List<String> cells = new ArrayList<>();
      for (int c = 0; c < columns; c++) {
        cells.add(" ".repeat(width[c] - row.get(c).length()) + row.get(c));
      }
      line(b, cells);
    }
    b.append(border);
    return b.toString();
  }

  private static String border(int[] width) {
    StringBuilder b = new StringBuilder("+");
    for (int w : width) {
      b.append("-".repeat(w + 2)).append('+');
    }
    return b.append('\n').toString();
  }

  private static void line(StringBuilder b, List<String> cells) {
    b.append('|');
    for (String cell : cells) {
      b.append(' ').append(cell).append(" |");
    }
    b.append('\n');
  }

  private static String centre(String s, int width) {
    int pad = width - s.length();
    int left = pad / 2;
    return " ".repeat(left) + s + " ".repeat(pad - left);
  }
}
