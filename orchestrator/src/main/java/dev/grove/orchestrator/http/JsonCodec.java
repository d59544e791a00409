package dev.grove.orchestrator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.api.error.ErrorCodes;
import dev.grove.orchestrator.error.GroveException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The daemon's one JSON mapper: records in, records out, unknown request fields ignored. */
public final class JsonCodec {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private JsonCodec() {}

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
    }
  }

  /** Reads a request body; malformed or empty input is the client's fault: BAD_REQUEST. */
  public static <T> T readRequest(byte[] body, Class<T> type) {
    if (body == null || body.length == 0) {
      throw new GroveException(
          ErrorCodes.BAD_REQUEST,
          "the request has no body; expected a " + type.getSimpleName() + " JSON object",
          "Send the JSON body with Content-Type: application/json.");
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new GroveException(
            ErrorCodes.BAD_REQUEST,
            "the request body is JSON null; expected a " + type.getSimpleName() + " object",
            "Send a JSON object.");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new GroveException(
          ErrorCodes.BAD_REQUEST,
          "the request body is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(),
          "Send a JSON object with the fields of " + type.getSimpleName() + ".");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a file the daemon itself wrote (daemon.json). */
  public static <T> T read(byte[] json, Class<T> type) throws IOException {
    return MAPPER.readValue(json, type);
  }
}
