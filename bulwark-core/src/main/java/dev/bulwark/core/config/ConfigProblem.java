package dev.bulwark.core.config;

/** One thing wrong with a configuration: where (source, line, column, path) and why. */
public record ConfigProblem(String source, int line, int column, String path, String reason) {
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) sb.append(':').append(column);
        }
        sb.append(": ");
        if (path != null && !path.isEmpty()) sb.append(path).append(": ");
        return sb.append(reason).toString();
    }
}
