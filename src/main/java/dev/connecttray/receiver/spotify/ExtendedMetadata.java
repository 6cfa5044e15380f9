package dev.connecttray.receiver.spotify;

import com.google.protobuf.Any;
import com.google.protobuf.CodedInputStream;
import com.spotify.extendedmetadata.ExtendedMetadata.BatchedEntityRequest;
import com.spotify.extendedmetadata.ExtendedMetadata.BatchedExtensionResponse;
import com.spotify.extendedmetadata.ExtendedMetadata.EntityExtensionDataArray;
import com.spotify.extendedmetadata.ExtendedMetadata.EntityRequest;
import com.spotify.extendedmetadata.ExtendedMetadata.ExtensionQuery;
import com.spotify.extendedmetadata.ExtensionKindOuterClass.ExtensionKind;
import com.spotify.extendedmetadata.EntityExtensionDataOuterClass.EntityExtensionData;
import com.spotify.metadata.Metadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Track and episode metadata the way Spotify serves it since 2025-11: {@code metadata/4} answers 500
 * and no longer lists audio files, so one extended-metadata request asks for the entity
 * ({@code TRACK_V4} / {@code EPISODE_V4}) and its files ({@code AUDIO_FILES}) together. This class
 * builds that request and reads the answer; the caller sends it.
 */
public final class ExtendedMetadata {
    /** The tag of field 1 with wire type 2 (length-delimited). */
    private static final int FIELD_1_BYTES = (1 << 3) | 2;

    private ExtendedMetadata() {
    }

    /** The request for one track ({@code spotify:track:…}) or episode ({@code spotify:episode:…}). */
    public static BatchedEntityRequest request(String entityUri, boolean episode) {
        return BatchedEntityRequest.newBuilder()
                .addEntityRequest(EntityRequest.newBuilder()
                        .setEntityUri(entityUri)
                        .addQuery(ExtensionQuery.newBuilder()
                                .setExtensionKind(episode ? ExtensionKind.EPISODE_V4 : ExtensionKind.TRACK_V4))
                        .addQuery(ExtensionQuery.newBuilder().setExtensionKind(ExtensionKind.AUDIO_FILES)))
                .build();
    }

    /**
     * The track in the answer, with the audio files of the {@code AUDIO_FILES} extension in its
     * file list (they replace whatever the entity lists).
     *
     * @throws IOException when the answer has no usable track for {@code uri}
     */
    public static Metadata.Track track(BatchedExtensionResponse response, String uri) throws IOException {
        Any entity = entity(response, uri, ExtensionKind.TRACK_V4)
                .orElseThrow(() -> new IOException("extended metadata has no TRACK_V4 for " + uri));
        Metadata.Track track = Metadata.Track.parseFrom(entity.getValue());
        List<Metadata.AudioFile> files = audioFiles(response, uri);
        if (files.isEmpty()) return track;
        return track.toBuilder().clearFile().addAllFile(files).build();
    }

    /** Like {@link #track}, for an episode (its files go into {@code audio}). */
    public static Metadata.Episode episode(BatchedExtensionResponse response, String uri) throws IOException {
        Any entity = entity(response, uri, ExtensionKind.EPISODE_V4)
                .orElseThrow(() -> new IOException("extended metadata has no EPISODE_V4 for " + uri));
        Metadata.Episode episode = Metadata.Episode.parseFrom(entity.getValue());
        List<Metadata.AudioFile> files = audioFiles(response, uri);
        if (files.isEmpty()) return episode;
        return episode.toBuilder().clearAudio().addAllAudio(files).build();
    }

    /** The files of the {@code AUDIO_FILES} extension for {@code uri}; empty when there is none. */
    public static List<Metadata.AudioFile> audioFiles(BatchedExtensionResponse response, String uri)
            throws IOException {
        Optional<Any> data = entity(response, uri, ExtensionKind.AUDIO_FILES);
        return data.isEmpty() ? List.of() : parseAudioFiles(data.get().getValue().newCodedInput());
    }

    private static Optional<Any> entity(BatchedExtensionResponse response, String uri, ExtensionKind kind)
            throws IOException {
        for (EntityExtensionDataArray array : response.getExtendedMetadataList()) {
            if (array.getExtensionKind() != kind) continue;
            for (EntityExtensionData data : array.getExtensionDataList()) {
                if (!data.getEntityUri().equals(uri)) continue;
                int status = data.getHeader().getStatusCode();
                if (status != 0 && status != 200) {
                    throw new IOException("extended metadata answered " + status + " for " + kind + " of " + uri);
                }
                if (data.hasExtensionData()) return Optional.of(data.getExtensionData());
            }
        }
        return Optional.empty();
    }

    /**
     * Reads {@code spotify.extendedmetadata.audiofiles.AudioFilesExtensionResponse}, a message the
     * library's protocol files predate: field 1 repeats {@code ExtendedAudioFile}, whose field 1 is a
     * {@code metadata.AudioFile}. Every other field is skipped.
     */
    static List<Metadata.AudioFile> parseAudioFiles(CodedInputStream in) throws IOException {
        List<Metadata.AudioFile> files = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == FIELD_1_BYTES) {
                CodedInputStream file = in.readBytes().newCodedInput();
                int inner;
                while ((inner = file.readTag()) != 0) {
                    if (inner == FIELD_1_BYTES) {
                        files.add(Metadata.AudioFile.parseFrom(file.readBytes()));
                    } else if (!file.skipField(inner)) {
                        break;
                    }
                }
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        return files;
    }
}
