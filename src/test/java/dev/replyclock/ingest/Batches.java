package dev.replyclock.ingest;

import dev.replyclock.domain.FolderCheckpoint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One poll of a source without a store: the batches it hands over, their checkpoints kept in a map. */
public final class Batches {

    private Batches() {
    }

    /** Polls {@code source} from {@code checkpoints}, which then hold what each folder reached. */
    public static List<IncrementalSource.Batch> poll(IncrementalSource source, Map<String, FolderCheckpoint> checkpoints)
            throws IOException {
        List<IncrementalSource.Batch> batches = new ArrayList<>();
        source.poll(f -> Optional.ofNullable(checkpoints.get(f)), b -> {
            batches.add(b);
            checkpoints.put(b.checkpoint().folder(), b.checkpoint());
        });
        return batches;
    }
}
