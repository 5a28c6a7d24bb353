package dev.weir.schedule;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * A piece of data that tasks update and DAGs wait for, named by a URI such as {@code
 * file:///data/sales.csv} or {@code s3://bucket/sales/}. Weir never reads the data: the URI is a
 * name, compared as an exact string. A task lists the datasets it updates as its outlets; a DAG
 * scheduled on datasets runs once each of them was updated since its last such run.
 *
 * @param uri the dataset's URI; a name without a scheme ({@code sales}) is allowed, as in Airflow
 */
public record Dataset(String uri) {
  /** The store's column holds this many characters. */
  public static final int MAX_LENGTH = 1000;

  // RFC 3986: a letter, then letters, digits, '+', '-' or '.'.
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

  /**
   * @throws ScheduleException saying what is wrong with the URI
   */
  public Dataset {
    String problem = problem(uri);
    if (problem != null) {
      throw new ScheduleException(problem);
    }
  }

  /** What is wrong with this text as a dataset URI, or null when it is a good one. */
  public static String problem(String uri) {
    if (uri == null || uri.isEmpty()) {
      return "dataset URI is empty; write one such as 'file:///data/sales.csv'";
    }
    if (uri.isBlank()) {
      return "dataset URI '" + uri + "' is blank; write one such as 'file:///data/sales.csv'";
    }
    if (uri.length() > MAX_LENGTH) {
      return "dataset URI is longer than " + MAX_LENGTH + " characters: '" + shortened(uri) + "'";
    }
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        return "dataset URI '"
            + uri
            + "' contains whitespace at position "
            + (i + 1)
            + "; encode a space as %20";
      }
    }
    int separator = uri.indexOf("://");
    if (separator >= 0 && !SCHEME.matcher(uri.substring(0, separator)).matches()) {
      return "dataset URI '"
          + uri
          + "' has a bad scheme '"
          + uri.substring(0, separator)
          + "': a scheme starts with a letter and has only letters, digits, '+', '-' and '.'"
          + " (such as file, s3, postgres)";
    }
    if (separator >= 0 && uri.length() == separator + 3) {
      return "dataset URI '" + uri + "' has nothing after its scheme";
    }
    try {
      new URI(uri);
    } catch (URISyntaxException e) {
      return "dataset URI '"
          + uri
          + "' is not a valid URI: "
          + e.getReason()
          + " at position "
          + (e.getIndex() + 1);
    }
    return null;
  }

  private static String shortened(String text) {
    return text.substring(0, 60) + "…";
  }

  @Override
  public String toString() {
    return uri;
  }
}
