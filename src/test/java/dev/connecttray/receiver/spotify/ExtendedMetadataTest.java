package dev.connecttray.receiver.spotify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.spotify.extendedmetadata.EntityExtensionDataOuterClass.EntityExtensionData;
import com.spotify.extendedmetadata.EntityExtensionDataOuterClass.EntityExtensionDataHeader;
import com.spotify.extendedmetadata.ExtendedMetadata.BatchedEntityRequest;
import com.spotify.extendedmetadata.ExtendedMetadata.BatchedExtensionResponse;
import com.spotify.extendedmetadata.ExtendedMetadata.EntityExtensionDataArray;
import com.spotify.extendedmetadata.ExtensionKindOuterClass.ExtensionKind;
import com.spotify.metadata.Metadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ExtendedMetadataTest {
    private static final String URI = "spotify:track:4uLU6hMCjMI75M1A2tKUQC";
    private static final Metadata.AudioFile OGG_320 = Metadata.AudioFile.newBuilder()
            .setFileId(ByteString.copyFromUtf8("01234567890123456789")).setFormat(Metadata.AudioFile.Format.OGG_VORBIS_320)
            .build();

    /** AudioFilesExtensionResponse as the service encodes it: files (1) with average_bitrate (4), normalization (2), audio_id (4). */
    private static ByteString audioFiles(Metadata.AudioFile... files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (Metadata.AudioFile file : files) {
            ByteArrayOutputStream inner = new ByteArrayOutputStream();
            CodedOutputStream extended = CodedOutputStream.newInstance(inner);
            extended.writeBytes(1, file.toByteString());
            extended.writeInt32(4, 320_000);
            extended.flush();
            out.writeBytes(1, ByteString.copyFrom(inner.toByteArray()));
        }
        ByteArrayOutputStream norm = new ByteArrayOutputStream();
        CodedOutputStream n = CodedOutputStream.newInstance(norm);
        n.writeFloat(1, -7.5f);
        n.writeFloat(2, 0.9f);
        n.flush();
        out.writeBytes(2, ByteString.copyFrom(norm.toByteArray()));
        out.writeBytes(4, ByteString.copyFromUtf8("audio-id"));
        out.flush();
        return ByteString.copyFrom(bytes.toByteArray());
    }

    private static EntityExtensionDataArray array(ExtensionKind kind, int status, ByteString value, String type) {
        return EntityExtensionDataArray.newBuilder().setExtensionKind(kind)
                .addExtensionData(EntityExtensionData.newBuilder()
                        .setHeader(EntityExtensionDataHeader.newBuilder().setStatusCode(status))
                        .setEntityUri(URI)
                        .setExtensionData(Any.newBuilder().setTypeUrl("type.googleapis.com/" + type).setValue(value)))
                .build();
    }

    @Test
    void asksForTheTrackAndItsAudioFilesInOneRequest() {
        BatchedEntityRequest request = ExtendedMetadata.request(URI, false);
        assertThat(request.getEntityRequest(0).getEntityUri()).isEqualTo(URI);
        assertThat(request.getEntityRequest(0).getQueryList()).extracting(q -> q.getExtensionKind())
                .containsExactly(ExtensionKind.TRACK_V4, ExtensionKind.AUDIO_FILES);
        assertThat(ExtendedMetadata.request("spotify:episode:x", true).getEntityRequest(0).getQuery(0)
                .getExtensionKind()).isEqualTo(ExtensionKind.EPISODE_V4);
    }

    /** Regression: since 2025-11 the track itself lists no files; they come from AUDIO_FILES. */
    @Test
    void theFilesOfAudioFilesGoIntoTheTrack() throws Exception {
        Metadata.Track bare = Metadata.Track.newBuilder().setName("Tone").setDuration(10_000).build();
        BatchedExtensionResponse response = BatchedExtensionResponse.newBuilder()
                .addExtendedMetadata(array(ExtensionKind.TRACK_V4, 200, bare.toByteString(), "spotify.metadata.Track"))
                .addExtendedMetadata(array(ExtensionKind.AUDIO_FILES, 200, audioFiles(OGG_320),
                        "spotify.extendedmetadata.audiofiles.AudioFilesExtensionResponse"))
                .build();

        Metadata.Track track = ExtendedMetadata.track(response, URI);

        assertThat(track.getName()).isEqualTo("Tone");
        assertThat(track.getFileList()).containsExactly(OGG_320);
    }

    @Test
    void anEntityErrorIsAnIoError() {
        BatchedExtensionResponse response = BatchedExtensionResponse.newBuilder()
                .addExtendedMetadata(array(ExtensionKind.TRACK_V4, 404, ByteString.EMPTY, "spotify.metadata.Track"))
                .build();
        assertThatThrownBy(() -> ExtendedMetadata.track(response, URI)).isInstanceOf(IOException.class)
                .hasMessageContaining("404");
    }

    @Test
    void noTrackInTheAnswerIsAnIoError() {
        assertThatThrownBy(() -> ExtendedMetadata.track(BatchedExtensionResponse.getDefaultInstance(), URI))
                .isInstanceOf(IOException.class).hasMessageContaining("TRACK_V4");
    }
}
