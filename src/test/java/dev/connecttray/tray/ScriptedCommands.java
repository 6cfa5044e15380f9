package dev.connecttray.tray;

import dev.connecttray.os.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** A {@link CommandRunner} that records each command and answers from a script instead of running it. */
final class ScriptedCommands implements CommandRunner {
    /** One recorded call. */
    record Call(List<String> command, Map<String, String> environment, Duration timeout) {
    }

    private final List<Call> calls = new ArrayList<>();
    private final Deque<Object> answers = new ArrayDeque<>();

    /** The next call exits with {@code exitCode} and prints {@code output}. */
    ScriptedCommands exits(int exitCode, String output) {
        answers.add(new Result(exitCode, output, false));
        return this;
    }

    /** The next call does not finish in time. */
    ScriptedCommands timesOut() {
        answers.add(new Result(-1, "", true));
        return this;
    }

    /** The next call cannot start, as when the tool is not installed. */
    ScriptedCommands cannotStart() {
        answers.add(new IOException("Cannot run program: error=2, No such file or directory"));
        return this;
    }

    @Override
    public synchronized Result run(List<String> command, Map<String, String> environment, Duration timeout)
            throws IOException {
        calls.add(new Call(List.copyOf(command), Map.copyOf(environment), timeout));
        Object answer = answers.isEmpty() ? new Result(0, "", false) : answers.poll();
        if (answer instanceof IOException e) throw e;
        return (Result) answer;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<List<String>> commands() {
        return calls.stream().map(Call::command).toList();
    }
}
