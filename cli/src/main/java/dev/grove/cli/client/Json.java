package dev.grove.cli.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The CLI's one JSON mapper, built on first use. */
public final class Json {
  private Json() {}

  public static ObjectMapper mapper() {
    return Holder.MAPPER;
  }

  /**
   * Builds the mapper on a background thread (~200 ms cold) while the main thread parses the
   * command line; the first {@link #mapper()} call waits for it if needed.
   */
  public static void warmUpInBackground() {
    Thread thread = new Thread(Json::mapper, "grove-json-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  private static final class Holder {
    static final ObjectMapper MAPPER =
        new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }
}
