package store

import (
	"bytes"
	"context"
	"encoding/gob"
	"reflect"
	"testing"

	"github.com/philippgille/chromem-go"

	"github.com/scobot/scobot/rag"
)

// TestSnapshotStreamIsChromemExport: the snapshot writeSnapshot streams
// from the compact rows decodes to the very database chromem-go's own
// ExportToWriter writes for the same chunks and vectors (sparse rows and
// dense ones, empty fields, an empty index), and chromem-go imports it.
func TestSnapshotStreamIsChromemExport(t *testing.T) {
	odd := rag.Chunk{ID: "odd#0", Doc: "odd", Pos: 0, Text: ""} // empty fields are left out of gob's structs
	long := makeDoc("long", 1, "v1").Chunks[0]
	long.Text = string(bytes.Repeat([]byte("长文本 "), 40000)) // lengths of several bytes
	for _, tc := range []struct {
		name   string
		chunks []rag.Chunk
		dim    int
		sparse bool
	}{
		{"sparse", append(allChunks([]Doc{makeDoc("a", 5, "v1"), makeDoc("中文", 3, "v1")}), odd, long), 64, true},
		{"dense", allChunks([]Doc{makeDoc("a", 4, "v1")}), 8, false},
		{"empty", nil, 8, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db, coll, man := newDB("emb-x")
			b := newRowsBuilder(1, tc.dim, tc.chunks)
			for _, c := range tc.chunks {
				v, err := unit(rawVector(c.ID, tc.dim))
				if err != nil {
					t.Fatal(err)
				}
				if tc.sparse {
					for i := range v {
						if i%8 != 3 {
							v[i] = 0
						}
					}
					if v, err = unit(v); err != nil {
						t.Fatal(err)
					}
				}
				if err := coll.AddDocument(ctx, toDocument(c, v)); err != nil {
					t.Fatal(err)
				}
				b.add(v)
			}
			rows := b.done()
			if (rows.Dense == nil) != tc.sparse && len(tc.chunks) > 0 {
				t.Fatalf("rows dense = %v, want sparse %v", rows.Dense != nil, tc.sparse)
			}
			m := []byte(`{"format":1,"docs":{}}`)
			if err := man.AddDocument(ctx, chromem.Document{ID: manifestDocID, Embedding: []float32{1}, Content: string(m)}); err != nil {
				t.Fatal(err)
			}
			var want, got bytes.Buffer
			if err := db.ExportToWriter(&want, false, ""); err != nil {
				t.Fatal(err)
			}
			if err := writeSnapshot(&got, "emb-x", m, rows); err != nil {
				t.Fatal(err)
			}
			var wantDB, gotDB gobDB
			if err := gob.NewDecoder(&want).Decode(&wantDB); err != nil {
				t.Fatal(err)
			}
			if err := gob.NewDecoder(bytes.NewReader(got.Bytes())).Decode(&gotDB); err != nil {
				t.Fatalf("the streamed snapshot is not gob: %v", err)
			}
			if !reflect.DeepEqual(gotDB, wantDB) {
				for name, wc := range wantDB.Collections {
					gc := gotDB.Collections[name]
					if gc == nil || gc.Name != wc.Name || !reflect.DeepEqual(gc.Metadata, wc.Metadata) || len(gc.Documents) != len(wc.Documents) {
						t.Errorf("collection %s streamed as %+v, want %+v", name, gc, wc)
						continue
					}
					for id, wd := range wc.Documents {
						if gd := gc.Documents[id]; !reflect.DeepEqual(gd, wd) {
							t.Errorf("document %s streamed as %#v, want %#v", id, gd, wd)
						}
					}
				}
				t.Errorf("the streamed snapshot decodes otherwise than chromem-go's export")
			}
			imported := chromem.NewDB()
			if err := imported.ImportFromReader(bytes.NewReader(got.Bytes()), ""); err != nil {
				t.Fatalf("chromem-go cannot import the streamed snapshot: %v", err)
			}
			if n := imported.GetCollection(chunksCollection, noEmbedding).Count(); n != len(tc.chunks) {
				t.Errorf("imported %d chunks, want %d", n, len(tc.chunks))
			}
		})
	}
}

// TestBuildLeavesChromemUnloaded: a Sync that builds the index from
// nothing (or compacts it) writes the snapshot from its rows without
// putting the chunks into chromem-go, which the first Search then loads
// from that snapshot and answers from as a store that held it all along.
func TestBuildLeavesChromemUnloaded(t *testing.T) {
	emb := sparseFake{newFake("sparse-64", 64)}
	docs := segDocs()
	s := mustOpen(t, t.TempDir(), emb)
	mustSync(t, s, docs)
	mustSync(t, s, append(docs[1:], makeDoc("a", 2, "v2"))) // appended to the log
	s.logShare = 0
	docs = append(docs[2:], makeDoc("a", 3, "v3"))
	mustSync(t, s, docs) // compacted
	if !fromSegment(s) {
		t.Fatal("the Sync put the chunks into chromem-go")
	}
	q, err := unit(rawVector("question", 64))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Search(context.Background(), q, 6, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fromSegment(s) {
		t.Fatal("Search did not load chromem-go")
	}
	ref := mustOpen(t, "", emb)
	mustSync(t, ref, docs)
	want, err := ref.Search(context.Background(), q, 6, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Search after the build = %v, want %v", idsOf(got), idsOf(want))
	}
}
