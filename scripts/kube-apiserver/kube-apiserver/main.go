// Wrapper module: builds the kube-apiserver binary from k8s.io/kubernetes.
// Used by scripts/kube-apiserver.sh for tests and demos only.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	command := app.NewAPIServerCommand()
	code := cli.Run(command)
	os.Exit(code)
}
