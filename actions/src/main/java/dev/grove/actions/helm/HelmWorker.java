package dev.grove.actions.helm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Helm worker process {@link HelmProcess} starts: reads requests from stdin, runs each on a
 * thread of its own with {@link LocalHelm}, and writes the answers to stdout. It ends itself, with
 * {@link Runtime#halt}, as soon as stdin closes (its parent is gone or closed it): a Helm call
 * stuck in Go's code must not keep it alive, and halt does not wait for it (neither do signals
 * other than SIGKILL reach it, see docs/notes/helm-spike.md).
 *
 * <p>Usage: {@code java -cp CLASSPATH dev.grove.actions.helm.HelmWorker HELM_HOME}.
 */
public final class HelmWorker {

  private HelmWorker() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: HelmWorker HELM_HOME");
      Runtime.getRuntime().halt(2);
    }
    // answers go to the real stdout; anything else printed goes to the log (stderr)
    PrintStream answers =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    LocalHelm helm = new LocalHelm(new HelmHome(Path.of(args[0])));
    ExecutorService calls =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "helm-call");
              thread.setDaemon(true);
              return thread;
            });
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isBlank()) {
          String request = line;
          calls.execute(() -> answer(helm, request, answers));
        }
      }
    } catch (IOException e) {
      System.err.println("Helm worker: reading requests failed: " + e);
    }
    // stdin closed: the parent is gone or done with us, whatever Helm is doing
    answers.flush();
    Runtime.getRuntime().halt(0);
  }

  private static void answer(LocalHelm helm, String line, PrintStream answers) {
    long id = -1;
    String answer;
    try {
      JsonNode request = HelmProtocol.JSON.readTree(line);
      id = request.path("id").asLong(-1);
      answer = HelmProtocol.answer(id, HelmProtocol.dispatch(helm, request));
    } catch (ActionException e) {
      answer = HelmProtocol.answer(id, e);
    } catch (IOException | RuntimeException | LinkageError e) {
      e.printStackTrace();
      answer =
          HelmProtocol.answer(
              id,
              new ActionException(
                  ActionCodes.HELM_UNAVAILABLE,
                  "Helm's worker failed: " + e,
                  "See the Helm worker's log in Grove's home folder (helm/worker.log)"));
    }
    synchronized (answers) {
      answers.println(answer);
    }
  }
}
