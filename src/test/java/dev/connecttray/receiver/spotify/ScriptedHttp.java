package dev.connecttray.receiver.spotify;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** An {@link HttpTransport} that answers from a script and keeps what was posted. */
final class ScriptedHttp implements HttpTransport {
    record Posted(String url, Map<String, String> headers, byte[] body) {
    }

    interface Answer {
        Response answer(byte[] body) throws IOException;
    }

    private final Deque<Answer> script = new ArrayDeque<>();
    final List<Posted> posted = new ArrayList<>();

    ScriptedHttp then(Answer answer) {
        script.add(answer);
        return this;
    }

    ScriptedHttp thenStatus(int status) {
        return then(body -> new Response(status, "text/html", "<html>error</html>".getBytes()));
    }

    ScriptedHttp thenProto(com.google.protobuf.MessageLite message) {
        return then(body -> new Response(200, "application/x-protobuf", message.toByteArray()));
    }

    ScriptedHttp thenFail(IOException e) {
        return then(body -> {
            throw e;
        });
    }

    @Override
    public Response post(String url, Map<String, String> headers, byte[] body) throws IOException {
        posted.add(new Posted(url, Map.copyOf(headers), body.clone()));
        Answer next = script.poll();
        if (next == null) throw new AssertionError("no answer scripted for request " + posted.size() + " to " + url);
        return next.answer(body);
    }
}
