package io.raftx.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirIdentityTest {

    @TempDir
    Path dir;

    @Test
    void theFirstStartRecordsItsOwnerAndLaterStartsOfTheSameNodePass() {
        Path n1 = dir.resolve("n1");
        assertThat(DataDirIdentity.recorded(n1)).isNull();
        DataDirIdentity.claim(n1, "prod", "n1");
        assertThat(DataDirIdentity.recorded(n1)).isEqualTo(new DataDirIdentity("prod", "n1"));
        assertThat(DataDirIdentity.claim(n1, "prod", "n1")).isEqualTo(new DataDirIdentity("prod", "n1"));
        assertThat(n1.resolve(DataDirIdentity.FILE + ".tmp")).doesNotExist();
    }

    @Test
    void anotherNodeOrClusterIsRefusedWithBothNamed() {
        Path n2 = dir.resolve("n2");
        DataDirIdentity.claim(n2, "prod", "n2");
        assertThatThrownBy(() -> DataDirIdentity.claim(n2, "prod", "n1"))
                .isInstanceOf(DataDirIdentity.ForeignDataDirectoryException.class)
                .hasMessageContaining("belongs to node 'n2' of cluster 'prod'")
                .hasMessageContaining("configured as node 'n1' of cluster 'prod'");
        assertThatThrownBy(() -> DataDirIdentity.claim(n2, "staging", "n2"))
                .hasMessageContaining("of cluster 'prod'").hasMessageContaining("of cluster 'staging'");
        assertThat(DataDirIdentity.recorded(n2)).isEqualTo(new DataDirIdentity("prod", "n2")); // left untouched
    }

    @Test
    void aDamagedRecordIsAnErrorNotAFreshClaim() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(DataDirIdentity.FILE), "garbage\n");
        assertThatThrownBy(() -> DataDirIdentity.claim(dir, "prod", "n1")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("not a RaftX identity record");
        assertThat(Files.readString(dir.resolve(DataDirIdentity.FILE))).isEqualTo("garbage\n");
    }
}
