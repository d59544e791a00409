import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an exec-only Garden project for the solver benchmarks.
 *
 * <ul>
 *   <li>{@code wide N}: N independent no-op Builds (no command) and one Deploy needing them all;
 *   <li>{@code deep N}: a chain of N no-op Builds, each needing the previous one;
 *   <li>{@code garden N}: Garden's benchmark shape, N/2 exec Builds and N/2 exec Deploys whose
 *       commands echo other actions' versions through templates;
 *   <li>{@code watch N}: N/2 service folders with a no-op Build, an exec Deploy and 10 files each;
 *   <li>{@code tests N}: N exec Tests running {@code true} (grove test).
 * </ul>
 *
 * <p>Usage: {@code java bench/GenerateExecProject.java wide|deep|garden|watch|tests N OUT_DIR}
 */
public class GenerateExecProject {
  public static void main(String[] args) throws IOException {
    String shape = args[0];
    int n = Integer.parseInt(args[1]);
    Path out = Path.of(args[2]);
    Files.createDirectories(out);
    Files.writeString(
        out.resolve("project.garden.yml"),
        "apiVersion: garden.io/v1\nkind: Project\nname: " + shape + "\nenvironments:\n  - name: dev\n");
    StringBuilder config = new StringBuilder();
    switch (shape) {
      case "wide" -> {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < n; i++) {
          config.append("kind: Build\ntype: exec\nname: b").append(i).append("\n---\n");
          all.append(i == 0 ? "" : ", ").append("build.b").append(i);
        }
        config.append("kind: Deploy\ntype: exec\nname: all\ndependencies: [")
            .append(all)
            .append("]\nspec:\n  deployCommand: [\"true\"]\n");
      }
      case "deep" -> {
        for (int i = 0; i < n; i++) {
          config.append("kind: Build\ntype: exec\nname: b").append(i).append('\n');
          if (i > 0) {
            config.append("dependencies: [build.b").append(i - 1).append("]\n");
          }
          config.append("---\n");
        }
      }
      case "garden" -> {
        int builds = n / 2;
        for (int i = 0; i < builds; i++) {
          config.append("kind: Build\ntype: exec\nname: b").append(i).append('\n');
          config.append("spec:\n  command: [echo, \"build b").append(i).append("\"]\n---\n");
        }
        for (int i = 0; i < n - builds; i++) {
          config.append("kind: Deploy\ntype: exec\nname: d").append(i).append('\n');
          config.append("build: b").append(i % builds).append('\n');
          config.append("spec:\n  deployCommand: [echo, \"deploy d").append(i)
              .append(" of ${actions.build.b").append(i % builds).append(".version}\"]\n---\n");
        }
      }
      case "watch" -> {
        // N/2 service folders, each a no-op Build and an exec Deploy, with 10 source files each
        // (5,000 files at N = 1,000): the watch benchmark saves one and times the redeploy.
        for (int i = 0; i < n / 2; i++) {
          Path dir = out.resolve("svc-" + i);
          Files.createDirectories(dir.resolve("src"));
          for (int f = 0; f < 9; f++) {
            Files.writeString(dir.resolve("src/f" + f + ".txt"), "svc " + i + " file " + f + "\n");
          }
          Files.writeString(
              dir.resolve("garden.yml"),
              "kind: Build\ntype: exec\nname: svc-" + i + "\n---\n"
                  + "kind: Deploy\ntype: exec\nname: svc-" + i + "\nbuild: svc-" + i + "\n"
                  + "spec:\n  deployCommand: [\"true\"]\n");
        }
        System.out.println("wrote watch " + n + " to " + out);
        return;
      }
      case "tests" -> {
        for (int i = 0; i < n; i++) {
          config.append("kind: Test\ntype: exec\nname: t").append(i).append("\n")
              .append("spec:\n  command: [\"true\"]\n---\n");
        }
      }
      default -> throw new IllegalArgumentException("shape: wide, deep, garden, watch or tests");
    }
    Files.writeString(out.resolve("garden.yml"), config.toString());
    System.out.println("wrote " + shape + " " + n + " to " + out);
  }
}
