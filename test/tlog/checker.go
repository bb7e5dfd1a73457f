// An independent judge of docprov's transparency log, built on Go's own checksum-database code
// (golang.org/x/mod/sumdb/note and golang.org/x/mod/sumdb/tlog, Debian golang-golang-x-mod-dev).
// It shares nothing with docprov: it reads the files as the C2SP specifications define them.
//
//	checker checkpoint VKEY FILE              a signed checkpoint: prints "origin size root"
//	checker log VKEY LOGDIR                   the whole log: tiles, entries, every kept checkpoint
//	checker inclusion VKEY FOLDER             a document folder's manifest.json.tlog-proof
//	checker consistency VKEY OLD NEW PROOF    a consistency proof (one base64 hash a line)
//
// Build: GOPATH=/usr/share/gocode GO111MODULE=off go build -o checker checker.go
// C2SP tile paths are Go's tile paths without the height (always 8): tile/8/L/N is tile/L/N and
// Go's data tiles tile/8/data/N are C2SP's entry bundles tile/entries/N (uint16-prefixed entries).
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const height = 8

type checkpoint struct {
	origin string
	tree   tlog.Tree
}

// openCheckpoint verifies a signed note with the one trusted key and parses its C2SP body.
func openCheckpoint(vkey string, msg []byte) (checkpoint, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return checkpoint{}, fmt.Errorf("verifier key: %v", err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return checkpoint{}, fmt.Errorf("checkpoint signature: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 || lines[len(lines)-1] != "" {
		return checkpoint{}, errors.New("checkpoint body: fewer than three lines")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return checkpoint{}, errors.New("checkpoint body: bad tree size")
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return checkpoint{}, errors.New("checkpoint body: bad root hash")
	}
	if lines[0] != v.Name() {
		return checkpoint{}, errors.New("checkpoint origin is not the key name")
	}
	var h tlog.Hash
	copy(h[:], root)
	return checkpoint{origin: lines[0], tree: tlog.Tree{N: size, Hash: h}}, nil
}

// c2spPath maps Go's tile coordinates onto the C2SP layout.
func c2spPath(t tlog.Tile) string {
	p := t.Path() // tile/8/L/NNN[.p/W] or tile/8/data/NNN[.p/W]
	p = strings.Replace(p, fmt.Sprintf("tile/%d/data/", height), "tile/entries/", 1)
	return strings.Replace(p, fmt.Sprintf("tile/%d/", height), "tile/", 1)
}

type dirTiles struct{ dir string }

func (d dirTiles) Height() int { return height }
func (d dirTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := os.ReadFile(filepath.Join(d.dir, c2spPath(t)))
		if err != nil && t.W < 1<<height {
			// A partial tile may be gone once the full one exists: read that and cut it.
			full := t
			full.W = 1 << height
			data, err = os.ReadFile(filepath.Join(d.dir, c2spPath(full)))
			if err == nil && len(data) >= t.W*tlog.HashSize {
				data = data[:t.W*tlog.HashSize]
			}
		}
		if err != nil {
			return nil, err
		}
		out[i] = data
	}
	return out, nil
}
func (d dirTiles) SaveTiles([]tlog.Tile, [][]byte) {}

func entries(dir string, n int64) ([][]byte, error) {
	var out [][]byte
	for start := int64(0); start < n; start += 1 << height {
		w := n - start
		if w > 1<<height {
			w = 1 << height
		}
		t := tlog.Tile{H: height, L: -1, N: start >> height, W: int(w)}
		data, err := os.ReadFile(filepath.Join(dir, c2spPath(t)))
		if err != nil {
			return nil, err
		}
		for len(data) > 0 {
			if len(data) < 2 {
				return nil, fmt.Errorf("%s: truncated entry", c2spPath(t))
			}
			l := int(binary.BigEndian.Uint16(data))
			if len(data) < 2+l {
				return nil, fmt.Errorf("%s: truncated entry", c2spPath(t))
			}
			out = append(out, data[2:2+l])
			data = data[2+l:]
		}
		if int64(len(out)) != start+w {
			return nil, fmt.Errorf("%s: holds %d entries, not %d", c2spPath(t), int64(len(out))-start, w)
		}
	}
	return out, nil
}

func checkLog(vkey, dir string) error {
	msg, err := os.ReadFile(filepath.Join(dir, "checkpoint"))
	if err != nil {
		return err
	}
	cp, err := openCheckpoint(vkey, msg)
	if err != nil {
		return err
	}
	hr := tlog.TileHashReader(cp.tree, dirTiles{dir})
	// TileHashReader authenticates every tile it reads against the checkpoint's root.
	root, err := tlog.TreeHash(cp.tree.N, hr)
	if err != nil {
		return fmt.Errorf("tiles: %v", err)
	}
	if root != cp.tree.Hash {
		return errors.New("tiles do not rebuild the checkpoint's root")
	}
	es, err := entries(dir, cp.tree.N)
	if err != nil {
		return err
	}
	for i, e := range es {
		hs, err := hr.ReadHashes([]int64{tlog.StoredHashIndex(0, int64(i))})
		if err != nil {
			return err
		}
		if hs[0] != tlog.RecordHash(e) {
			return fmt.Errorf("entry %d does not hash to its leaf", i)
		}
	}
	names, _ := os.ReadDir(filepath.Join(dir, "checkpoints"))
	sizes := []int64{}
	for _, f := range names {
		b, err := os.ReadFile(filepath.Join(dir, "checkpoints", f.Name()))
		if err != nil {
			return err
		}
		old, err := openCheckpoint(vkey, b)
		if err != nil {
			return fmt.Errorf("checkpoints/%s: %v", f.Name(), err)
		}
		if strconv.FormatInt(old.tree.N, 10) != f.Name() {
			return fmt.Errorf("checkpoints/%s: states size %d", f.Name(), old.tree.N)
		}
		if old.tree.N == 0 {
			continue
		}
		// Go's own consistency proof from the tiles, checked against both signed roots.
		p, err := tlog.ProveTree(cp.tree.N, old.tree.N, hr)
		if err != nil {
			return err
		}
		if err := tlog.CheckTree(p, cp.tree.N, cp.tree.Hash, old.tree.N, old.tree.Hash); err != nil {
			return fmt.Errorf("checkpoints/%s: not consistent with the newest: %v", f.Name(), err)
		}
		sizes = append(sizes, old.tree.N)
	}
	sort.Slice(sizes, func(i, j int) bool { return sizes[i] < sizes[j] })
	fmt.Printf("ok %s size %d root %s entries %d consistent %v\n", cp.origin, cp.tree.N,
		base64.StdEncoding.EncodeToString(cp.tree.Hash[:]), len(es), sizes)
	return nil
}

// entryOf rebuilds a folder's log entry from its manifest.json, as docprov defines it.
func entryOf(manifest []byte) ([]byte, error) {
	var m struct {
		Document  struct{ ID string } `json:"document"`
		Signer    struct{ Fingerprint string }
		BuildTime string `json:"buildTime"`
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(manifest)
	return []byte(fmt.Sprintf("docprov-log-entry/1\ndocument %s\nmanifest sha256:%s\nsigner sha256:%s\ntime %s\n",
		m.Document.ID, hex.EncodeToString(sum[:]), m.Signer.Fingerprint, m.BuildTime)), nil
}

func checkInclusion(vkey, folder string) error {
	manifest, err := os.ReadFile(filepath.Join(folder, "manifest.json"))
	if err != nil {
		return err
	}
	entry, err := entryOf(manifest)
	if err != nil {
		return err
	}
	proof, err := os.ReadFile(filepath.Join(folder, "manifest.json.tlog-proof"))
	if err != nil {
		return err
	}
	// c2sp.org/tlog-proof@v1: header, optional extra, index, hashes, blank line, checkpoint.
	head, cpBytes, found := bytes.Cut(proof, []byte("\n\n"))
	if !found {
		return errors.New("proof: no blank line before the checkpoint")
	}
	lines := strings.Split(string(head), "\n")
	if lines[0] != "c2sp.org/tlog-proof@v1" {
		return errors.New("proof: bad header")
	}
	lines = lines[1:]
	if len(lines) > 0 && strings.HasPrefix(lines[0], "extra ") {
		lines = lines[1:]
	}
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "index ") {
		return errors.New("proof: no index line")
	}
	index, err := strconv.ParseInt(strings.TrimPrefix(lines[0], "index "), 10, 64)
	if err != nil {
		return err
	}
	var rp tlog.RecordProof
	for _, l := range lines[1:] {
		b, err := base64.StdEncoding.DecodeString(l)
		if err != nil || len(b) != tlog.HashSize {
			return errors.New("proof: bad hash line")
		}
		var h tlog.Hash
		copy(h[:], b)
		rp = append(rp, h)
	}
	cp, err := openCheckpoint(vkey, cpBytes)
	if err != nil {
		return err
	}
	if err := tlog.CheckRecord(rp, cp.tree.N, cp.tree.Hash, index, tlog.RecordHash(entry)); err != nil {
		return fmt.Errorf("inclusion: %v", err)
	}
	fmt.Printf("ok index %d of %s size %d\n", index, cp.origin, cp.tree.N)
	return nil
}

func checkConsistency(vkey, oldPath, newPath, proofPath string) error {
	read := func(p string) (checkpoint, error) {
		b, err := os.ReadFile(p)
		if err != nil {
			return checkpoint{}, err
		}
		return openCheckpoint(vkey, b)
	}
	old, err := read(oldPath)
	if err != nil {
		return err
	}
	cur, err := read(newPath)
	if err != nil {
		return err
	}
	text, err := os.ReadFile(proofPath)
	if err != nil {
		return err
	}
	var tp tlog.TreeProof
	for _, l := range strings.Split(strings.TrimSuffix(string(text), "\n"), "\n") {
		if l == "" {
			continue
		}
		b, err := base64.StdEncoding.DecodeString(l)
		if err != nil || len(b) != tlog.HashSize {
			return errors.New("proof: bad hash line")
		}
		var h tlog.Hash
		copy(h[:], b)
		tp = append(tp, h)
	}
	if err := tlog.CheckTree(tp, cur.tree.N, cur.tree.Hash, old.tree.N, old.tree.Hash); err != nil {
		return fmt.Errorf("consistency: %v", err)
	}
	fmt.Printf("ok %d is a prefix of %d\n", old.tree.N, cur.tree.N)
	return nil
}

func main() {
	a := os.Args[1:]
	var err error
	switch {
	case len(a) == 3 && a[0] == "checkpoint":
		var b []byte
		if b, err = os.ReadFile(a[2]); err == nil {
			var cp checkpoint
			if cp, err = openCheckpoint(a[1], b); err == nil {
				fmt.Printf("%s %d %s\n", cp.origin, cp.tree.N, base64.StdEncoding.EncodeToString(cp.tree.Hash[:]))
			}
		}
	case len(a) == 3 && a[0] == "log":
		err = checkLog(a[1], a[2])
	case len(a) == 3 && a[0] == "inclusion":
		err = checkInclusion(a[1], a[2])
	case len(a) == 5 && a[0] == "consistency":
		err = checkConsistency(a[1], a[2], a[3], a[4])
	default:
		err = errors.New("usage: checker checkpoint|log|inclusion|consistency ...")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "checker:", err)
		os.Exit(1)
	}
}
