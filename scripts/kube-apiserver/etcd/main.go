// Wrapper module: builds the etcd server binary from go.etcd.io/etcd/server/v3.
// Used by scripts/kube-apiserver.sh for tests and demos only.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
